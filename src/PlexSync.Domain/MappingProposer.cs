namespace PlexSync.Domain;

/// <summary>A proposed set of path mappings and how many of the sampled Stash files it makes match by full path.</summary>
/// <param name="Mappings">The prefix pairs, in the order to configure them.</param>
/// <param name="Matched">Sampled Stash files that then equal a sampled Plex file.</param>
/// <param name="Paired">Sampled Stash files whose name one sampled Plex file alone has: the most any mapping can make match.</param>
/// <param name="Sampled">Stash files looked at.</param>
public sealed record MappingProposal(IReadOnlyList<PathMapping> Mappings, int Matched, int Paired, int Sampled);

/// <summary>
/// Proposes path mappings from a sample of Stash paths and a sample of Plex paths: a file whose name
/// only one Plex file has is taken to be that file, and the folders above the part the two paths share
/// are a prefix pair. The pairs that cover the most files are proposed, most first.
/// </summary>
public static class MappingProposer
{
    /// <summary>Proposes mappings that make as many of <paramref name="stashPaths"/> equal one of <paramref name="plexPaths"/> as the samples allow.</summary>
    public static MappingProposal Propose(IReadOnlyList<string> stashPaths, IReadOnlyList<string> plexPaths)
    {
        ArgumentNullException.ThrowIfNull(stashPaths);
        ArgumentNullException.ThrowIfNull(plexPaths);

        // Names held by several Plex files say nothing about where a Stash file is: skip them.
        var plexByName = plexPaths.Distinct(StringComparer.Ordinal)
            .GroupBy(p => Sanitizer.Nfc(FileNames.Name(p)), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single(), StringComparer.OrdinalIgnoreCase);
        var stash = stashPaths.Distinct(StringComparer.Ordinal).ToList();
        var candidates = new List<(string Stash, IReadOnlyList<PathMapping> Pairs)>();
        foreach (var path in stash)
        {
            if (!HasDotDot(path) && plexByName.TryGetValue(Sanitizer.Nfc(FileNames.Name(path)), out var plex))
            {
                candidates.Add((path, PrefixPairs(path, plex)));
            }
        }

        var mappings = Choose(candidates);
        var plexSet = plexPaths.Select(Sanitizer.Nfc).ToHashSet(StringComparer.Ordinal);
        var mapper = new PathMappings(mappings);
        var matched = stash.Count(p => !HasDotDot(p) && plexSet.Contains(mapper.Map(p)));
        return new MappingProposal(mappings, matched, candidates.Count, stash.Count);
    }

    // Greedy: the pair that maps the most files not yet covered onto their Plex file, the most specific of
    // equals (a mount point rather than the root above it), until none covers one. A pair whose "from" is
    // taken already would never be reached, so it is not offered again. Pairs whose two sides are the same
    // folder need no mapping, unless a chosen mapping would otherwise take their files elsewhere.
    private static List<PathMapping> Choose(List<(string Stash, IReadOnlyList<PathMapping> Pairs)> candidates)
    {
        var chosen = new List<PathMapping>();
        var left = candidates;
        while (true)
        {
            var taken = chosen.Select(c => c.From).ToHashSet(StringComparer.Ordinal);
            var best = left.SelectMany(c => c.Pairs.Where(p => !taken.Contains(p.From)))
                .GroupBy(p => p)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => Segments(g.Key.From).Length)
                .ThenBy(g => g.Key.From, StringComparer.Ordinal)
                .FirstOrDefault()?.Key;
            if (best is null)
            {
                break;
            }

            chosen.Add(best);
            left = [.. left.Where(c => !c.Pairs.Contains(best))];
        }

        var mappings = chosen.Where(m => m.From != m.To).ToList();
        var needed = chosen.Where(m => m.From == m.To && mappings.Any(o => IsUnder(m.From, o.From)));

        // A longer prefix is tried first, so that a general pair never shadows a more specific one.
        return [.. mappings.Concat(needed).OrderByDescending(m => Segments(m.From).Length)];
    }

    private static bool IsUnder(string path, string folder)
    {
        var prefix = Segments(folder);
        var segments = Segments(path);
        return prefix.Length <= segments.Length && prefix.Select((s, i) => s == segments[i]).All(same => same);
    }

    // The prefix pairs that map one file onto the other: the folders above their longest common tail, and
    // each pair below it within that tail. /data/stash/a/x.mp4 and /media/plex/a/x.mp4 give
    // /data/stash -> /media/plex and /data/stash/a -> /media/plex/a.
    private static List<PathMapping> PrefixPairs(string stash, string plex)
    {
        var s = Segments(stash);
        var p = Segments(plex);

        // The names matched case-insensitively already; folders must be equal, as the matcher compares them.
        var common = 1;
        while (common < s.Length && common < p.Length && Sanitizer.Nfc(s[^(common + 1)]) == Sanitizer.Nfc(p[^(common + 1)]))
        {
            common++;
        }

        return [.. Enumerable.Range(0, common).Select(k => new PathMapping(Prefix(stash, s.Length - common + k), Prefix(plex, p.Length - common + k)))];
    }

    // The first <count> segments of a path, written as the path writes them (separator, root, drive).
    private static string Prefix(string path, int count)
    {
        var separator = path.Contains('\\', StringComparison.Ordinal) && !path.Contains('/', StringComparison.Ordinal) ? "\\" : "/";
        var root = path[..(path.Length - path.TrimStart('/', '\\').Length)]; // "/", or the two backslashes of a share
        var joined = string.Join(separator, Segments(path).Take(count));
        return root + joined is { Length: > 0 } prefix ? prefix : separator;
    }

    private static bool HasDotDot(string path) => Segments(path).Contains("..");

    private static string[] Segments(string path) =>
        [.. path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".")];
}
