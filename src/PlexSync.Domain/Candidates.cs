namespace PlexSync.Domain;

/// <summary>
/// The confirm step of both matches (Stash scene to Plex item, and a Plex play back to its Stash scene): a
/// server's file filter is not exact (Plex's file= is "contains", Stash's path filter is SQL LIKE), so only the
/// candidates with a file that truly fits are kept.
/// </summary>
public static class Candidates
{
    /// <summary>Each candidate with a file that fits, paired with its first such file, in the order given.</summary>
    public static IReadOnlyList<(T Item, string File)> Confirm<T>(IEnumerable<T> items, Func<T, IReadOnlyList<string>> files, Func<string, bool> fits)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(fits);
        return [.. items
            .Select(item => (Item: item, File: files(item).FirstOrDefault(fits)))
            .Where(hit => hit.File is not null)
            .Select(hit => (hit.Item, hit.File!))];
    }
}
