using System.Text.Json.Serialization;

namespace PlexSync.Domain;

/// <summary>
/// A Plex item's metadata keyed by Plex field names. Desired and current state share this shape
/// so that the diff is a plain comparison.
/// </summary>
public sealed record PlexState
{
    /// <summary>Gets title, summary, studio and originallyAvailableAt.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init => field = value ?? new Dictionary<string, string>(); } = new Dictionary<string, string>();

    /// <summary>Gets genre, actor, collection and label lists.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init => field = value ?? new Dictionary<string, IReadOnlyList<string>>(); } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Gets the rating, 0..10, or <see cref="PlexFields.NoRating"/> when unset.</summary>
    /// <remarks>Required in JSON: a reader cannot tell an absent rating from 0, which is a rating.</remarks>
    [JsonRequired]
    public double Rating { get; init; } = PlexFields.NoRating;

    /// <summary>Gets the locked fields; only meaningful for the current state.</summary>
    public IReadOnlyList<string> Locked { get; init => field = value ?? []; } = [];

    /// <summary>
    /// Gets when Plex last changed the item's poster, in Unix seconds: the number its thumb URL ends with
    /// (/library/metadata/1/thumb/1715112705), else its updatedAt; null when Plex gives neither. Only
    /// meaningful for the current state.
    /// </summary>
    public long? PosterStamp { get; init; }

    public bool IsLocked(string field) => Locked.Contains(field, StringComparer.Ordinal);

    public string Field(string name) => Fields.TryGetValue(name, out var value) ? value : "";

    public IReadOnlyList<string> TagList(string name) => Tags.TryGetValue(name, out var value) ? value : [];
}

/// <summary>
/// The Plex state a scene should have. Only the fields present in <see cref="PlexState.Fields"/>
/// and <see cref="PlexState.Tags"/> are managed; <see cref="ManageRating"/> and
/// <see cref="Poster"/> likewise.
/// </summary>
public sealed record DesiredState
{
    public required string SceneId { get; init; }

    public required PlexState State { get; init; }

    public bool ManageRating { get; init; }

    /// <summary>Gets the Stash screenshot path (no host, no credential); empty when posters are not managed or the scene has no cover.</summary>
    public string Poster { get; init => field = value ?? ""; } = "";

    /// <summary>Gets the scene's file paths as Stash sees them, primary first.</summary>
    public IReadOnlyList<string> Files { get; init => field = value ?? []; } = [];
}

/// <summary>Replaces a tag list with <see cref="Set"/>, names the stale entries to remove, and locks the list or unlocks it.</summary>
public sealed record TagEdit(IReadOnlyList<string> Set, IReadOnlyList<string> Remove, bool Lock = true);

/// <summary>What must be written to bring a Plex item to the desired state.</summary>
public sealed record Changes
{
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, TagEdit> Tags { get; init; } = new Dictionary<string, TagEdit>();

    /// <summary>Gets the new rating, or null when it is unchanged.</summary>
    public double? Rating { get; init; }

    /// <summary>
    /// Gets a value indicating whether to lock the poster, so that a Plex refresh keeps ours: set only
    /// once a sync has made Stash's cover the item's poster (or found it so), never for a scene whose
    /// Stash has no cover.
    /// </summary>
    public bool LockPoster { get; init; }

    /// <summary>
    /// Gets a value indicating whether Plex's poster may be older than Stash's cover
    /// (<see cref="PosterCheck.MaybeStale"/>), so that the cover must be downloaded and compared.
    /// </summary>
    public bool PosterMaybeStale { get; init; }

    /// <summary>Gets a value indicating whether the item needs the metadata PUT.</summary>
    public bool NeedsEdit => Fields.Count > 0 || Tags.Count > 0 || LockPoster;

    /// <summary>Gets a value indicating whether the item is in step: no write, and no poster to check.</summary>
    public bool IsEmpty => !NeedsEdit && Rating is null && !PosterMaybeStale;

    /// <summary>Lists the changed fields, sorted, for results and logs.</summary>
    public IReadOnlyList<string> Names()
    {
        var names = Fields.Keys
            .Concat(Tags.Keys)
            .Concat(Rating is null ? [] : [PlexFields.Rating])
            .ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
