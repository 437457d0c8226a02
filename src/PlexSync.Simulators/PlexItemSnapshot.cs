namespace PlexSync.Simulators;

/// <summary>A copy of a Plex item for assertions.</summary>
public sealed record PlexItemSnapshot(
    int RatingKey,
    int SectionKey,
    string Title,
    string? TitleSort,
    string? Summary,
    string? Studio,
    string? Tagline,
    string? OriginallyAvailableAt,
    string? ContentRating,
    double? UserRating,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Tags,
    IReadOnlySet<string> Locked,
    IReadOnlyList<string> Files,
    IReadOnlyList<LibraryPoster> Posters,
    int Uploads,
    long UpdatedAt)
{
    /// <summary>The selected poster's key, or null.</summary>
    public string? SelectedPoster => Posters.FirstOrDefault(p => p.Selected)?.RatingKey;

    /// <summary>Tags of one kind; empty when none.</summary>
    public IReadOnlyList<string> TagsOf(string kind) => Tags.TryGetValue(kind, out var list) ? list : [];

    public bool IsLocked(string field) => Locked.Contains(field);
}
