using System.Text.Json;
using System.Text.Json.Serialization;
using PlexSync.Domain;
using Temporalio.Converters;

namespace PlexSync.Workflows;

/// <summary>
/// The data converter of every PlexSync client and worker: camelCase JSON, so that payloads read
/// naturally in the Web UI and recorded histories.
/// </summary>
public static class PayloadJson
{
    /// <summary>Gets the options of every payload.</summary>
    /// <remarks>
    /// A payload written by an earlier version (a schedule's stored input, a workflow in flight across an upgrade, a
    /// recorded history) lacks the properties added since. The generated reader sets every init-only property, an
    /// absent one to null or zero, so a payload record's init accessor maps null, and zero where zero is not valid,
    /// to its default; a property whose absence cannot be told from a valid value is required ([JsonRequired]). So is a
    /// constructor parameter without a default (one added later gets a default): its absence is an error here, never a
    /// null inside the workflow later.
    /// </remarks>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = PayloadJsonContext.Default,
        RespectRequiredConstructorParameters = true,
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

/// <summary>
/// Source-generated metadata for every payload: workflow, activity, signal and query arguments and results (Native
/// AOT has no reflection-based JSON), and the dictionary the SDK encrypts a failure's message and stack trace in.
/// PayloadJsonTests check that every such type is here.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(SceneSyncInput))]
[JsonSerializable(typeof(SceneSyncResult))]
[JsonSerializable(typeof(FetchResult))]
[JsonSerializable(typeof(Scene))]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(MatchResult))]
[JsonSerializable(typeof(ApplyInput))]
[JsonSerializable(typeof(ApplyResult))]
[JsonSerializable(typeof(ReconcileInput))]
[JsonSerializable(typeof(ReconcileProgress))]
[JsonSerializable(typeof(CheckScenesInput))]
[JsonSerializable(typeof(CheckScenesResult))]
[JsonSerializable(typeof(PlaysInput))]
[JsonSerializable(typeof(PlaysResult))]
[JsonSerializable(typeof(PlaysProgress))]
[JsonSerializable(typeof(ReadPlaysInput))]
[JsonSerializable(typeof(PlaysPage))]
[JsonSerializable(typeof(PlayRow))]
[JsonSerializable(typeof(RecordPlayInput))]
[JsonSerializable(typeof(RecordPlayResult))]
[JsonSerializable(typeof(ScenePlaysInput))]
[JsonSerializable(typeof(ScenePlaysAt))]
[JsonSerializable(typeof(AddPlayInput))]
[JsonSerializable(typeof(AddPlayResult))]
[JsonSerializable(typeof(ResumeResult))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext;
