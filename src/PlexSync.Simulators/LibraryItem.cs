namespace PlexSync.Simulators;

/// <summary>A movie as the simulated Plex stores it; change it with <see cref="PlexSimulator.SetItem"/>, as a user in Plex's UI would.</summary>
public sealed class LibraryItem
{
    /// <summary>The tag kinds an edit accepts (query names); Role is "actor".</summary>
    public static IReadOnlyList<string> TagKinds { get; } = ["genre", "actor", "collection", "label", "director", "writer", "country"];

    public int RatingKey { get; internal set; }

    public int SectionKey { get; internal set; }

    public string Title { get; set; } = string.Empty;

    public string? TitleSort { get; set; }

    public string? Summary { get; set; }

    public string? Studio { get; set; }

    public string? Tagline { get; set; }

    /// <summary>YYYY-MM-DD or null.</summary>
    public string? OriginallyAvailableAt { get; set; }

    public string? ContentRating { get; set; }

    /// <summary>0..10, null when unrated.</summary>
    public double? UserRating { get; set; }

    /// <summary>Tag names by kind (genre, actor, collection, label, director, writer, country).</summary>
    public Dictionary<string, List<string>> Tags { get; } = [];

    /// <summary>Locked field names (title, genre, thumb, ...).</summary>
    public HashSet<string> Locked { get; } = [];

    public List<string> Files { get; } = [];

    public List<LibraryPoster> Posters { get; } = [];

    /// <summary>Poster uploads received, including repeats.</summary>
    public int Uploads { get; set; }

    /// <summary>When the item was added, in Unix seconds of the server's clock.</summary>
    public long AddedAt { get; internal set; }

    /// <summary>When the item last changed (an edit, a poster, a refresh), in Unix seconds; its thumb URL ends with it.</summary>
    public long UpdatedAt { get; set; }

    /// <summary>Gets or sets where the owner stopped watching, in milliseconds; 0 when not in progress.</summary>
    public long ViewOffset { get; set; }

    /// <summary>Gets or sets how often the owner watched it to the end (or marked it watched).</summary>
    public int ViewCount { get; set; }

    /// <summary>Gets or sets when the owner last watched it, in Unix seconds; 0 for never.</summary>
    public long LastViewedAt { get; set; }

    /// <summary>The item's tags of one kind, created empty when missing.</summary>
    public List<string> TagList(string kind)
    {
        if (!Tags.TryGetValue(kind, out var list))
        {
            list = [];
            Tags[kind] = list;
        }

        return list;
    }

    internal PlexItemSnapshot Snapshot() => new(
        RatingKey,
        SectionKey,
        Title,
        TitleSort,
        Summary,
        Studio,
        Tagline,
        OriginallyAvailableAt,
        ContentRating,
        UserRating,
        Tags.Where(t => t.Value.Count > 0).ToDictionary(t => t.Key, t => (IReadOnlyList<string>)[.. t.Value]),
        Locked.ToHashSet(),
        [.. Files],
        [.. Posters],
        Uploads,
        UpdatedAt);
}
