using System.Text.RegularExpressions;

namespace PlexSync.Domain;

/// <summary>
/// Rewrites a Stash path prefix into the prefix Plex sees, for when the two run with different
/// mounts, in containers, or on different systems.
/// </summary>
public sealed record PathMapping(string From, string To);

/// <summary>
/// Mappings are tried in order; the first whose From is a whole-segment prefix of the path wins.
/// A path no mapping covers is used as it is.
/// </summary>
public sealed partial class PathMappings(IEnumerable<PathMapping> mappings)
{
    private readonly List<PathMapping> mappings = [.. mappings];

    public static PathMappings None { get; } = new([]);

    public IReadOnlyList<PathMapping> Items => mappings;

    /// <summary>
    /// Gets the same mappings run backwards, Plex's prefix to Stash's, by the same rules: the first whose
    /// (Plex) prefix is a whole-segment prefix wins, NFC, ".." refused. Used to find a Plex play's scene.
    /// </summary>
    public PathMappings Reversed => new(mappings.Select(m => new PathMapping(m.To, m.From)));

    /// <summary>
    /// Rewrites a Stash path into the path Plex sees, normalised to NFC (Stash and a macOS share may
    /// spell the same name in different normal forms). A ".." segment is refused with
    /// <see cref="UnsafePathException"/>.
    /// </summary>
    public string Map(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = Segments(Sanitizer.Nfc(path));
        if (segments.Contains(".."))
        {
            throw new UnsafePathException(path);
        }

        foreach (var mapping in mappings)
        {
            var from = Segments(Sanitizer.Nfc(mapping.From));
            if (HasPrefix(segments, from, IsWindows(mapping.From)))
            {
                return Sanitizer.Nfc(Join(mapping.To, segments.Skip(from.Count)));
            }
        }

        return Sanitizer.Nfc(path);
    }

    /// <summary>Checks that each mapping has both sides and no ".." segment; returns the first problem, or null.</summary>
    public string? Validate()
    {
        for (var i = 0; i < mappings.Count; i++)
        {
            var m = mappings[i];
            if (string.IsNullOrWhiteSpace(m.From) || string.IsNullOrWhiteSpace(m.To))
            {
                return $"path_mappings[{i}]: both from and to are required";
            }

            if (Segments(m.From).Concat(Segments(m.To)).Contains(".."))
            {
                return $"path_mappings[{i}]: \"..\" segments are not allowed";
            }
        }

        return null;
    }

    private static bool IsWindows(string path) => DriveLetter().IsMatch(path) || path.Contains('\\', StringComparison.Ordinal);

    private static List<string> Segments(string path) =>
        [.. path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".")];

    private static bool HasPrefix(List<string> segments, List<string> prefix, bool foldCase)
    {
        if (prefix.Count > segments.Count)
        {
            return false;
        }

        var comparison = foldCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return prefix.Select((p, i) => string.Equals(p, segments[i], comparison)).All(equal => equal);
    }

    // Appends the rest of the path to the target prefix, with the target's separator.
    private static string Join(string to, IEnumerable<string> rest)
    {
        var separator = IsWindows(to) ? "\\" : "/";
        var prefix = to.TrimEnd('/', '\\');
        var tail = string.Join(separator, rest);
        return tail.Length == 0 ? prefix : prefix + separator + tail;
    }

    [GeneratedRegex("^[A-Za-z]:")]
    private static partial Regex DriveLetter();
}
