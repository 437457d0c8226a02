namespace PlexSync.Domain;

/// <summary>A Plex library item as far as matching cares.</summary>
public sealed record PlexCandidate(string RatingKey, string SectionId, string Title, IReadOnlyList<string> Files);

/// <summary>The chosen item and how it was found: "path" or "basename".</summary>
public sealed record MatchResult(PlexCandidate Item, string Strategy, string File);

/// <summary>Finds the Plex item that holds a Stash scene's file.</summary>
public static class ItemMatcher
{
    public const string ByPath = "path";
    public const string ByName = "basename";

    /// <summary>
    /// Picks the Plex item for a scene's files, primary first: an item whose file equals the mapped
    /// path; failing that, the one item whose file has the same name, compared case-insensitively.
    /// <paramref name="lookup"/> returns the items whose path contains a fragment (Plex's file= filter
    /// is not exact), so every candidate is confirmed here, after NFC normalisation of both sides.
    /// </summary>
    /// <remarks>
    /// Plex filters inside its database, byte for byte, so a path it stores decomposed (NFD, as files
    /// from a macOS share are) never contains the NFC form. The fragment therefore names both forms,
    /// joined with a comma, which Plex's filter reads as OR (<see cref="AnyForm"/>).
    /// </remarks>
    /// <exception cref="AmbiguousMatchException">Several items fit.</exception>
    /// <exception cref="NotInPlexException">No item fits.</exception>
    /// <exception cref="UnsafePathException">A path has a ".." segment.</exception>
    public static async Task<MatchResult> FindAsync(
        IReadOnlyList<string> files,
        PathMappings mappings,
        Func<string, CancellationToken, Task<IReadOnlyList<PlexCandidate>>> lookup,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(mappings);
        ArgumentNullException.ThrowIfNull(lookup);
        var mapped = files.Select(mappings.Map).ToList();
        foreach (var path in mapped)
        {
            var found = await FindByAsync(path, AnyForm(path), ByPath, lookup, f => Nfc(f) == path, cancellationToken);
            if (found is not null)
            {
                return found;
            }
        }

        foreach (var path in mapped)
        {
            var name = FileNames.Name(path);
            var found = await FindByAsync(
                path, AnyForm(name), ByName, lookup, f => string.Equals(Nfc(FileNames.Name(f)), name, StringComparison.OrdinalIgnoreCase), cancellationToken);
            if (found is not null)
            {
                return found;
            }
        }

        throw new NotInPlexException(mapped);
    }

    private static async Task<MatchResult?> FindByAsync(
        string wanted,
        string fragment,
        string strategy,
        Func<string, CancellationToken, Task<IReadOnlyList<PlexCandidate>>> lookup,
        Func<string, bool> fits,
        CancellationToken cancellationToken)
    {
        var hits = Candidates.Confirm(await lookup(fragment, cancellationToken), item => item.Files, fits);
        return hits.Count switch
        {
            0 => null,
            1 => new MatchResult(hits[0].Item, strategy, hits[0].File),
            _ => throw new AmbiguousMatchException(wanted, [.. hits.Select(h => h.Item)]),
        };
    }

    /// <summary>The file= fragment for an NFC text: the text, or the text and its NFD form joined with a comma (OR) when they differ.</summary>
    public static string AnyForm(string nfc)
    {
        ArgumentNullException.ThrowIfNull(nfc);
        var nfd = Sanitizer.Nfd(nfc);
        return nfd == nfc ? nfc : nfc + "," + nfd;
    }

    private static string Nfc(string path) => Sanitizer.Nfc(path);
}
