namespace PlexSync.Domain;

/// <summary>Compares a desired state with a Plex item's current state.</summary>
public static class MetadataDiff
{
    /// <summary>
    /// Marks labels that carry a PlexSync-internal value (a hash of a Stash screenshot) rather than a
    /// user's label. They belong to no user and serve nothing: a sync removes every one it finds.
    /// </summary>
    public const string PosterMarkPrefix = "plexsync:poster:";

    /// <summary>
    /// Works out what to write. A field with the right value that is not locked counts as changed,
    /// because Plex overwrites unlocked fields the next time it refreshes the item. Tag names compare
    /// as Plex compares them (<see cref="Sanitizer.TagKey"/>); a text Plex refused whole compares equal
    /// in the shortened form a sync writes instead (<see cref="LongText"/>). Whether the poster needs a
    /// look is <see cref="PosterCheck.MaybeStale"/>: the poster itself is checked by downloading it.
    /// </summary>
    public static Changes Compute(DesiredState desired, PlexState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var fields = new Dictionary<string, string>();
        foreach (var (name, want) in desired.State.Fields)
        {
            var have = current.Field(name);
            if ((have != want && !LongText.IsShortenedFrom(have, want)) || !current.IsLocked(name))
            {
                fields[name] = want;
            }
        }

        var tags = new Dictionary<string, TagEdit>();
        foreach (var (name, want) in desired.State.Tags)
        {
            var have = current.TagList(name);
            if (!SameSet(want, have) || !current.IsLocked(name))
            {
                tags[name] = new TagEdit(want, Stale(want, have));
            }
        }

        if (!desired.State.Tags.ContainsKey(PlexFields.Label) && PosterMarkRemoval(current) is { } removal)
        {
            tags[PlexFields.Label] = removal;
        }

        double? rating = desired.ManageRating && !RatingEquals(desired.State.Rating, current.Rating) ? desired.State.Rating : null;
        return new Changes { Fields = fields, Tags = tags, Rating = rating, PosterMaybeStale = PosterCheck.MaybeStale(desired, current) };
    }

    // Plex may hand back a float near the whole number it was given: compare to a tenth.
    private static bool RatingEquals(double a, double b) => Math.Abs(a - b) < 0.05;

    // Removes the poster marks and keeps the item's other labels. The label lock stays only when other
    // labels are left for it to protect: with none left it served the marks alone.
    private static TagEdit? PosterMarkRemoval(PlexState current)
    {
        var labels = current.TagList(PlexFields.Label);
        var marks = labels.Where(l => l.StartsWith(PosterMarkPrefix, StringComparison.Ordinal)).ToList();
        if (marks.Count == 0)
        {
            return null;
        }

        var others = labels.Where(l => !marks.Contains(l, StringComparer.Ordinal)).ToList();
        return new TagEdit(others, marks, Lock: others.Count > 0 && current.IsLocked(PlexFields.Label));
    }

    private static bool SameSet(IReadOnlyList<string> want, IReadOnlyList<string> have) =>
        want.Count == have.Count &&
        want.Select(Sanitizer.TagKey).ToHashSet(StringComparer.Ordinal).SetEquals(have.Select(Sanitizer.TagKey));

    private static List<string> Stale(IReadOnlyList<string> want, IReadOnlyList<string> have)
    {
        var wanted = want.Select(Sanitizer.TagKey).ToHashSet(StringComparer.Ordinal);
        return [.. have.Where(h => !wanted.Contains(Sanitizer.TagKey(h)))];
    }
}
