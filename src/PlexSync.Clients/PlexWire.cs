using System.Text.Json;
using System.Text.Json.Serialization;
using PlexSync.Clients.Http;

namespace PlexSync.Clients;

// Plex's JSON as far as we read it. Types Plex sends inconsistently (plex.md "Decoding answers")
// go through the lenient converters; everything else is plain.

internal sealed record PlexEnvelope<T>([property: JsonPropertyName("MediaContainer")] T? MediaContainer);

internal sealed record PlexSectionsContainer([property: JsonPropertyName("Directory")] IReadOnlyList<PlexDirectoryWire>? Directory);

internal sealed record PlexDirectoryWire(
    [property: JsonPropertyName("key"), JsonConverter(typeof(LenientIdConverter))] string? Key,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("type")] string? Type);

internal sealed record PlexMetadataContainer
{
    [JsonPropertyName("totalSize")]
    [JsonConverter(typeof(LenientIntConverter))]
    public int? TotalSize { get; init; }

    /// <summary>Gets the number of entries in this answer (a page, when paged).</summary>
    [JsonPropertyName("size")]
    [JsonConverter(typeof(LenientIntConverter))]
    public int? Size { get; init; }

    [JsonPropertyName("librarySectionID")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? LibrarySectionId { get; init; }

    [JsonPropertyName("Metadata")]
    public IReadOnlyList<PlexMetadataWire>? Metadata { get; init; }
}

internal sealed record PlexMetadataWire
{
    [JsonPropertyName("ratingKey")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? RatingKey { get; init; }

    [JsonPropertyName("librarySectionID")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? LibrarySectionId { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("summary")]
    public string? Summary { get; init; }

    [JsonPropertyName("studio")]
    public string? Studio { get; init; }

    [JsonPropertyName("originallyAvailableAt")]
    public string? OriginallyAvailableAt { get; init; }

    [JsonPropertyName("userRating")]
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? UserRating { get; init; }

    /// <summary>Gets the poster's URL on the server, /library/metadata/{ratingKey}/thumb/{unix time of its last change}.</summary>
    [JsonPropertyName("thumb")]
    public string? Thumb { get; init; }

    /// <summary>Gets when the item last changed, in Unix seconds (read as a double: Plex may send it as a string).</summary>
    [JsonPropertyName("updatedAt")]
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? UpdatedAt { get; init; }

    [JsonPropertyName("Genre")]
    public IReadOnlyList<PlexTagWire>? Genre { get; init; }

    [JsonPropertyName("Role")]
    public IReadOnlyList<PlexTagWire>? Role { get; init; }

    [JsonPropertyName("Collection")]
    public IReadOnlyList<PlexTagWire>? Collection { get; init; }

    [JsonPropertyName("Label")]
    public IReadOnlyList<PlexTagWire>? Label { get; init; }

    [JsonPropertyName("Field")]
    public IReadOnlyList<PlexFieldWire>? Field { get; init; }

    [JsonPropertyName("Media")]
    public IReadOnlyList<PlexMediaWire>? Media { get; init; }

    /// <summary>Gets where the token's user stopped watching, in milliseconds; absent when not in progress.</summary>
    [JsonPropertyName("viewOffset")]
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? ViewOffset { get; init; }
}

internal sealed record PlexTagWire([property: JsonPropertyName("tag")] string? Tag);

internal sealed record PlexFieldWire(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("locked"), JsonConverter(typeof(LenientBoolConverter))] bool Locked);

internal sealed record PlexMediaWire([property: JsonPropertyName("Part")] IReadOnlyList<PlexPartWire>? Part);

internal sealed record PlexPartWire([property: JsonPropertyName("file")] string? File);

// The sources do not show the JSON key of the poster list: python-plexapi reads XML, where the entries
// are Photo elements, and Plex's JSON names most lists Metadata. Both are read.
internal sealed record PlexPostersContainer
{
    [JsonPropertyName("size")]
    [JsonConverter(typeof(LenientIntConverter))]
    public int? Size { get; init; }

    [JsonPropertyName("Metadata")]
    public IReadOnlyList<PlexPosterWire>? Metadata { get; init; }

    [JsonPropertyName("Photo")]
    public IReadOnlyList<PlexPosterWire>? Photo { get; init; }
}

internal sealed record PlexPosterWire(
    [property: JsonPropertyName("ratingKey"), JsonConverter(typeof(LenientIdConverter))] string? RatingKey,
    [property: JsonPropertyName("selected"), JsonConverter(typeof(LenientBoolConverter))] bool Selected);

internal sealed record PlexIdentityContainer(
    [property: JsonPropertyName("machineIdentifier")] string? MachineIdentifier,
    [property: JsonPropertyName("version")] string? Version);

internal sealed record PlexAccountsContainer([property: JsonPropertyName("Account")] IReadOnlyList<PlexAccountWire>? Account);

internal sealed record PlexAccountWire(
    [property: JsonPropertyName("id"), JsonConverter(typeof(LenientIdConverter))] string? Id,
    [property: JsonPropertyName("name")] string? Name);

// GET /status/sessions/history/all (plex-api-spec): librarySectionID and ratingKey are strings there, accountID and
// viewedAt numbers; all are read leniently. A row whose item was deleted has no key and no ratingKey.
internal sealed record PlexHistoryContainer([property: JsonPropertyName("Metadata")] IReadOnlyList<PlexHistoryWire>? Metadata);

internal sealed record PlexHistoryWire
{
    [JsonPropertyName("historyKey")]
    public string? HistoryKey { get; init; }

    [JsonPropertyName("ratingKey")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? RatingKey { get; init; }

    [JsonPropertyName("librarySectionID")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? LibrarySectionId { get; init; }

    [JsonPropertyName("title")]
    public string? Title { get; init; }

    [JsonPropertyName("viewedAt")]
    [JsonConverter(typeof(LenientDoubleConverter))]
    public double? ViewedAt { get; init; }

    [JsonPropertyName("accountID")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? AccountId { get; init; }

    [JsonPropertyName("deviceID")]
    [JsonConverter(typeof(LenientIdConverter))]
    public string? DeviceId { get; init; }
}

internal static class PlexJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { TypeInfoResolver = PlexJsonContext.Default };
}

/// <summary>Source-generated metadata of every answer the client reads (Native AOT has no reflection-based JSON).</summary>
[JsonSerializable(typeof(PlexEnvelope<PlexSectionsContainer>))]
[JsonSerializable(typeof(PlexEnvelope<PlexMetadataContainer>))]
[JsonSerializable(typeof(PlexEnvelope<PlexPostersContainer>))]
[JsonSerializable(typeof(PlexEnvelope<PlexIdentityContainer>))]
[JsonSerializable(typeof(PlexEnvelope<PlexAccountsContainer>))]
[JsonSerializable(typeof(PlexEnvelope<PlexHistoryContainer>))]
internal sealed partial class PlexJsonContext : JsonSerializerContext;
