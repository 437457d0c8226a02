using System.Text.Json;
using System.Text.Json.Serialization;
using PlexSync.Clients.Http;

namespace PlexSync.Clients;

// Stash's GraphQL answers as far as we read them (graphql/schema/types/scene.graphql).

internal sealed record GraphQlAnswer(
    [property: JsonPropertyName("data")] JsonElement? Data,
    [property: JsonPropertyName("errors")] IReadOnlyList<GraphQlError>? Errors);

internal sealed record GraphQlError([property: JsonPropertyName("message")] string? Message);

internal sealed record FindSceneData([property: JsonPropertyName("findScene")] StashSceneWire? FindScene);

internal sealed record FindScenesData([property: JsonPropertyName("findScenes")] FindScenesResult? FindScenes);

internal sealed record FindScenesResult(
    [property: JsonPropertyName("count"), JsonConverter(typeof(LenientIntConverter))] int? Count,
    [property: JsonPropertyName("scenes")] IReadOnlyList<StashSceneWire>? Scenes);

internal sealed record StashSceneWire
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? Id { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("details")]
    public string? Details { get; init; }

    [JsonPropertyName("date")]
    public string? Date { get; init; }

    [JsonPropertyName("rating100")]
    [JsonConverter(typeof(LenientIntConverter))]
    public int? Rating100 { get; init; }

    [JsonPropertyName("updated_at")]
    [JsonConverter(typeof(Rfc3339Converter))]
    public StashTimestamp UpdatedAt { get; init; }

    [JsonPropertyName("studio")]
    public StashNamed? Studio { get; init; }

    [JsonPropertyName("performers")]
    public IReadOnlyList<StashNamed>? Performers { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<StashNamed>? Tags { get; init; }

    [JsonPropertyName("groups")]
    public IReadOnlyList<StashGroupEntry>? Groups { get; init; }

    [JsonPropertyName("files")]
    public IReadOnlyList<StashFile>? Files { get; init; }

    [JsonPropertyName("paths")]
    public StashPaths? Paths { get; init; }
}

internal sealed record StashNamed([property: JsonPropertyName("name")] string? Name);

internal sealed record StashGroupEntry([property: JsonPropertyName("group")] StashNamed? Group);

internal sealed record StashFile([property: JsonPropertyName("path")] string? Path);

internal sealed record StashPaths([property: JsonPropertyName("screenshot")] string? Screenshot);

internal sealed record ScenePlaysData([property: JsonPropertyName("findScene")] ScenePlaysWire? FindScene);

internal sealed record ScenePlaysWire
{
    [JsonPropertyName("id")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? Id { get; init; }

    [JsonPropertyName("play_history")]
    public IReadOnlyList<string>? PlayHistory { get; init; }

    [JsonPropertyName("play_count")]
    [JsonConverter(typeof(LenientIntConverter))]
    public int? PlayCount { get; init; }

    [JsonPropertyName("resume_time")]
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? ResumeTime { get; init; }

    [JsonPropertyName("files")]
    public IReadOnlyList<StashFile>? Files { get; init; }
}

/// <summary>HistoryMutationResult (graphql/schema/types/scene.graphql): the count and every play time after the change.</summary>
internal sealed record HistoryMutationWire(
    [property: JsonPropertyName("count"), JsonConverter(typeof(LenientIntConverter))] int? Count,
    [property: JsonPropertyName("history")] IReadOnlyList<string>? History);

internal sealed record PlayMutationData(
    [property: JsonPropertyName("sceneAddPlay")] HistoryMutationWire? SceneAddPlay,
    [property: JsonPropertyName("sceneDeletePlay")] HistoryMutationWire? SceneDeletePlay);

internal sealed record SaveActivityData([property: JsonPropertyName("sceneSaveActivity")] bool SceneSaveActivity);

/// <summary>A Stash timestamp: the instant, and the text Stash stores, compares and sorts by.</summary>
internal readonly record struct StashTimestamp(DateTimeOffset At, string Text);

/// <summary>Reads Stash's updated_at: RFC 3339 with the server's offset, kept as a <see cref="DateTimeOffset"/> and as its text.</summary>
internal sealed class Rfc3339Converter : JsonConverter<StashTimestamp>
{
    public override StashTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value))
        {
            return new StashTimestamp(value, reader.GetString()!);
        }

        throw new LenientValueException($"{LenientText.Show(ref reader)} is not an RFC 3339 time");
    }

    public override void Write(Utf8JsonWriter writer, StashTimestamp value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}

/// <summary>
/// Source-generated metadata of the answers the client reads and the values its GraphQL variables hold (Native AOT has
/// no reflection-based JSON; a variable's value is written by its runtime type, so each such type is listed: lists go
/// as arrays).
/// </summary>
[JsonSerializable(typeof(GraphQlAnswer))]
[JsonSerializable(typeof(FindSceneData))]
[JsonSerializable(typeof(FindScenesData))]
[JsonSerializable(typeof(ScenePlaysData))]
[JsonSerializable(typeof(PlayMutationData))]
[JsonSerializable(typeof(SaveActivityData))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StashJsonContext : JsonSerializerContext;
