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
    public static DataConverter Converter(IPayloadCodec? codec = null) =>
        DataConverter.Default with { PayloadConverter = new DefaultPayloadConverter(Options), PayloadCodec = codec };
}
