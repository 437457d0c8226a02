namespace PlexSync.Domain;

/// <summary>A Stash scene as the reverse match sees it: its ID and the paths of all its files.</summary>
public sealed record StashCandidate(string SceneId, IReadOnlyList<string> Files);

/// <summary>
/// One question to Stash's scene filter on path: the exact path (EQUALS), or, with <paramref name="ByName"/>, a file
/// name anywhere in a path (INCLUDES, quoted so that Stash does not split it at spaces).
/// </summary>
public sealed record StashPathQuery(string Value, bool ByName);

/// <summary>What the reverse match found for one Plex item: a scene, or why none.</summary>
/// <param name="Outcome">One of <see cref="SceneMatcher.Matched"/>, <see cref="SceneMatcher.Unmatched"/>, <see cref="SceneMatcher.Ambiguous"/>.</param>
/// <param name="Scene">The scene, when matched.</param>
/// <param name="Strategy">"path" or "basename", when matched.</param>
/// <param name="File">The Stash file that fits, when matched.</param>
/// <param name="Reason">Why no scene, in words a person can act on; empty when matched.</param>
public sealed record SceneMatchResult(string Outcome, StashCandidate? Scene, string Strategy, string File, string Reason);

/// <summary>
/// Finds the Stash scene of a Plex item's files: the forward match (<see cref="ItemMatcher"/>) run backwards, by
/// its rules. Each Plex file, primary first, is mapped through the path mappings reversed; a scene with a file of
/// exactly that path wins; failing that, the one scene with a file of the same name (compared case-insensitively).
/// Several scenes are ambiguous, none is unmatched: both are results, not errors, since a Plex section may hold
/// videos that are no Stash scene.
/// </summary>
/// <remarks>
/// Stash's path filter is SQL LIKE over folder + separator + file name: "_" and "%" in a path are wildcards and
/// ASCII letters compare case-insensitively, and it compares bytes, so a path stored decomposed (NFD) is not found
/// by its NFC form. So both normal forms are asked for, and every scene returned is confirmed by its exact path.
/// </remarks>
public static class SceneMatcher
{
    public const string Matched = "matched";
    public const string Unmatched = "unmatched";
    public const string Ambiguous = "ambiguous";

    public static async Task<SceneMatchResult> FindAsync(
        IReadOnlyList<string> plexFiles,
        PathMappings mappings,
        Func<StashPathQuery, CancellationToken, Task<IReadOnlyList<StashCandidate>>> lookup,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plexFiles);
        ArgumentNullException.ThrowIfNull(mappings);
        ArgumentNullException.ThrowIfNull(lookup);
        if (plexFiles.Count == 0)
        {
            return Fail(Unmatched, "Plex lists no file for the item");
        }

        List<string> mapped;
        try
        {
            var reversed = mappings.Reversed;
            mapped = [.. plexFiles.Select(reversed.Map)];
        }
        catch (UnsafePathException e)
        {
            return Fail(Unmatched, e.Message);
        }

        foreach (var path in mapped)
        {
            var hits = await FindByAsync(path, byName: false, lookup, f => Sanitizer.Nfc(f) == path, cancellationToken);
            if (hits.Count > 0)
            {
                return Decide(hits, ItemMatcher.ByPath, $"{hits.Count} Stash scenes have the file {path}", "");
            }
        }

        foreach (var path in mapped)
        {
            var name = FileNames.Name(path);
            var hits = await FindByAsync(
                name, byName: true, lookup, f => string.Equals(Sanitizer.Nfc(FileNames.Name(f)), name, StringComparison.OrdinalIgnoreCase), cancellationToken);
            if (hits.Count > 0)
            {
                return Decide(
                    hits, ItemMatcher.ByName, $"{hits.Count} Stash scenes have a file named {name}, none at {path}", "; add a path mapping so that the full path matches");
            }
        }

        return Fail(Unmatched, $"no Stash scene has the file {mapped[0]} or one named {FileNames.Name(mapped[0])} (check path_mappings)");
    }

    // The scenes the filter returns for both normal forms of the value, each once, confirmed by their own paths.
    private static async Task<IReadOnlyList<(StashCandidate Item, string File)>> FindByAsync(
        string value,
        bool byName,
        Func<StashPathQuery, CancellationToken, Task<IReadOnlyList<StashCandidate>>> lookup,
        Func<string, bool> fits,
        CancellationToken cancellationToken)
    {
        var found = new List<StashCandidate>();
        foreach (var form in new[] { value, Sanitizer.Nfd(value) }.Distinct(StringComparer.Ordinal))
        {
            found.AddRange(await lookup(new StashPathQuery(form, byName), cancellationToken));
        }

        return Candidates.Confirm(found.DistinctBy(s => s.SceneId, StringComparer.Ordinal), s => s.Files, fits);
    }

    private static SceneMatchResult Decide(IReadOnlyList<(StashCandidate Item, string File)> hits, string strategy, string several, string advice) =>
        hits.Count == 1
            ? new SceneMatchResult(Matched, hits[0].Item, strategy, hits[0].File, "")
            : Fail(Ambiguous, several + ": " + string.Join(", ", hits.Select(h => $"scene {h.Item.SceneId} ({h.File})")) + advice);

    private static SceneMatchResult Fail(string outcome, string reason) => new(outcome, null, "", "", reason);
}
