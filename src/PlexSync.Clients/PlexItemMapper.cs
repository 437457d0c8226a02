using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>Maps Plex's metadata JSON to the domain's <see cref="PlexState"/>.</summary>
internal static class PlexItemMapper
{
    // The Field entry Plex writes for a locked cast is not documented. python-plexapi's tests show a
    // tag lock is named after the edit key ("genre" for genre[0].tag.tag, plexapi tests/test_mixins.py
    // _test_mixins_tag), which gives "actor"; the JSON list is called Role, and python-plexapi
    // calls the same list roles/actors. Any of these names counts as the cast lock.
    private static readonly Dictionary<string, string> LockAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["actor"] = PlexFields.Actor,
        ["actors"] = PlexFields.Actor,
        ["role"] = PlexFields.Actor,
        ["roles"] = PlexFields.Actor,
    };

    public static PlexItem ToItem(PlexMetadataWire wire, string sectionKey) => new()
    {
        RatingKey = wire.RatingKey ?? "",
        SectionKey = string.IsNullOrEmpty(wire.LibrarySectionId) ? sectionKey : wire.LibrarySectionId,
        Title = wire.Title ?? "",
        Files = Files(wire),
        State = ToState(wire),
    };

    public static IReadOnlyList<string> Files(PlexMetadataWire wire) =>
        (wire.Media ?? []).SelectMany(m => m.Part ?? []).Select(p => p.File ?? "").Where(f => f.Length > 0).ToList();

    public static PlexState ToState(PlexMetadataWire wire) => new()
    {
        Fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PlexFields.Title] = wire.Title ?? "",
            [PlexFields.Summary] = wire.Summary ?? "",
            [PlexFields.Studio] = wire.Studio ?? "",
            [PlexFields.Date] = wire.OriginallyAvailableAt ?? "",
        },
        Tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            [PlexFields.Genre] = Names(wire.Genre),
            [PlexFields.Actor] = Names(wire.Role),
            [PlexFields.Collection] = Names(wire.Collection),
            [PlexFields.Label] = Names(wire.Label),
        },
        Rating = wire.UserRating ?? PlexFields.NoRating,
        Locked = Locked(wire.Field),
        PosterStamp = PosterCheck.ThumbStamp(wire.Thumb) ?? WholeSeconds(wire.UpdatedAt),
    };

    /// <summary>Lists the locked fields' names as Plex gives them, plus the domain's name for an alias.</summary>
    public static IReadOnlyList<string> Locked(IReadOnlyList<PlexFieldWire>? fields)
    {
        var locked = new List<string>();
        foreach (var name in (fields ?? []).Where(f => f.Locked && !string.IsNullOrEmpty(f.Name)).Select(f => f.Name!))
        {
            locked.Add(name);
            if (LockAliases.TryGetValue(name, out var canonical))
            {
                locked.Add(canonical);
            }
        }

        return locked.Distinct(StringComparer.Ordinal).ToList();
    }

    private static long? WholeSeconds(double? unix) => unix is { } u && u >= 0 && u < long.MaxValue ? (long)u : null;

    private static List<string> Names(IReadOnlyList<PlexTagWire>? tags) =>
        (tags ?? []).Select(t => t.Tag ?? "").Where(t => t.Length > 0).ToList();
}
