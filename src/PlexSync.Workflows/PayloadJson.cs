using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Temporalio.Converters;

namespace PlexSync.Workflows;

/// <summary>
/// The data converter of every PlexSync client and worker: camelCase JSON, so that payloads read
/// naturally in the Web UI and recorded histories.
/// </summary>
public static class PayloadJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(PayloadJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

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

/// <summary>Source-generated metadata for what a client sends when it starts a sync (Native AOT has no reflection-based JSON).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SceneSyncInput))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(ReconcileInput))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext;
