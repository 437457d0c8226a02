using System.Security.Cryptography;
using System.Text;

namespace PlexSync.Domain;

/// <summary>Compares a desired state with a Plex item's current state.</summary>
public static class MetadataDiff
{
    /// <summary>
    /// Marks the Plex label in which PlexSync records which Stash screenshot it made the item's
    /// poster, so that checking an unchanged item needs no image download and no poster listing.
    /// </summary>
    public const string PosterLabelPrefix = "plexsync:poster:";

    /// <summary>The label for a Stash screenshot path (which changes whenever the scene is saved in Stash).</summary>
    public static string PosterLabel(string screenshot)
    {
        var sum = SHA256.HashData(Encoding.UTF8.GetBytes(screenshot));
        return PosterLabelPrefix + Convert.ToHexStringLower(sum.AsSpan(0, 6));
    }

    /// <summary>
    /// Works out what to write. A field with the right value that is not locked counts as changed,
    /// because Plex overwrites unlocked fields the next time it refreshes the item. Tag names compare
    /// as Plex compares them (<see cref="Sanitizer.TagKey"/>).
    /// </summary>
    public static Changes Compute(DesiredState desired, PlexState current)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(current);
        var fields = new Dictionary<string, string>();
        foreach (var (name, want) in desired.State.Fields)
        {
            if (current.Field(name) != want || !current.IsLocked(name))
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

        double? rating = desired.ManageRating && !RatingEquals(desired.State.Rating, current.Rating) ? desired.State.Rating : null;
        var lockPoster = false;
        var posterStale = false;
        if (desired.Poster.Length > 0)
        {
            lockPoster = !current.IsLocked(PlexFields.Poster);
            if (PosterLabelEdit(PosterLabel(desired.Poster), current.TagList(PlexFields.Label)) is { } edit)
            {
                tags[PlexFields.Label] = edit;
                posterStale = true;
            }
        }

        return new Changes { Fields = fields, Tags = tags, Rating = rating, LockPoster = lockPoster, PosterStale = posterStale };
    }

    // Plex may store a rating such as 8.5 as a float: compare to a tenth, the finest Stash gives.
    private static bool RatingEquals(double a, double b) => Math.Abs(a - b) < 0.05;

    // Keeps the item's own labels and replaces any PlexSync poster label with the wanted one; null
    // when the item already carries the wanted one alone.
    private static TagEdit? PosterLabelEdit(string want, IReadOnlyList<string> have)
    {
        var keep = new List<string>();
        var stale = new List<string>();
        var found = false;
        foreach (var label in have)
        {
            if (label == want)
            {
                found = true;
            }
            else if (label.StartsWith(PosterLabelPrefix, StringComparison.Ordinal))
            {
                stale.Add(label);
            }
            else
            {
                keep.Add(label);
            }
        }

        if (found && stale.Count == 0)
        {
            return null;
        }

        keep.Add(want);
        return new TagEdit(keep, stale);
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
