using System.Text.Json;
using Temporalio.Converters;

namespace PlexSync.Workflows;

/// <summary>
/// The data converter of every PlexSync client and worker: camelCase JSON, so that payloads read
/// naturally in the Web UI and recorded histories.
/// </summary>
public static class PayloadJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The converter, optionally with a payload codec (encryption).</summary>
    /// <remarks>
    /// With a codec, failure messages and stack traces are encoded too: they can name titles and paths, and
    /// the server would otherwise store them in clear.
    /// </remarks>
    public static DataConverter Converter(IPayloadCodec? codec = null) =>
        DataConverter.Default with
        {
            PayloadConverter = new DefaultPayloadConverter(Options),
            FailureConverter = codec is null
                ? DataConverter.Default.FailureConverter
                : new DefaultFailureConverter.WithEncodedCommonAttributes(),
            PayloadCodec = codec,
        };
}
