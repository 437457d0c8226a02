namespace PlexSync.Simulators;

/// <summary>
/// Case-insensitive natural order ("Scene 2" before "Scene 10"), like Stash's NATURAL_CI SQLite collation.
/// </summary>
internal sealed class NaturalComparer : IComparer<string>
{
    public static NaturalComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var c = CompareNumbers(x, ref i, y, ref j);
                if (c != 0)
                {
                    return c;
                }

                continue;
            }

            var d = char.ToUpperInvariant(x[i]).CompareTo(char.ToUpperInvariant(y[j]));
            if (d != 0)
            {
                return d;
            }

            i++;
            j++;
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }

    private static int CompareNumbers(string x, ref int i, string y, ref int j)
    {
        var a = ReadDigits(x, ref i).TrimStart('0');
        var b = ReadDigits(y, ref j).TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
    }

    private static string ReadDigits(string s, ref int index)
    {
        var start = index;
        while (index < s.Length && char.IsAsciiDigit(s[index]))
        {
            index++;
        }

        return s[start..index];
    }
}
