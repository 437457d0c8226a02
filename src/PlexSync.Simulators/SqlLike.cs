namespace PlexSync.Simulators;

/// <summary>
/// SQLite's LIKE as Stash's filters use it (no ESCAPE clause): "%" matches any run of characters, "_" any one, and
/// only ASCII letters compare case-insensitively; everything else, other letters included, compares as it is.
/// </summary>
internal static class SqlLike
{
    public static bool Matches(string value, string pattern)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(pattern);
        int v = 0, p = 0, starP = -1, starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '_' || Fold(pattern[p]) == Fold(value[v])))
            {
                v++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '%')
            {
                starP = p++;
                starV = v;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                v = ++starV;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}
