namespace PlexSync.Domain.Tests;

/// <summary>
/// Deterministic hostile text for the property tests: seeded <see cref="Random"/> over pieces chosen
/// to break text handling. Invalid text is what UTF-16 can hold: lone surrogates (the corpora write an
/// invalid byte 0xNN as U+DCNN).
/// </summary>
internal static class Hostile
{
    internal static readonly string[] TextPieces =
    [
        "", "a", "Title", "0", " ", "  ", "\t", "\n", "\r\n", "\r", "\v", "\f", "\0", "\u0007", "\u001b[31m", "\u007f",
        "\u0085", "\u009b", "\u00a0", "\u1680", "\u2000", "\u2028", "\u2029", "\u3000", "\u200b", "\ufeff", "\u202e", "\u200f",
        "e\u0301", "\u0301", "\u0338", "\u0345", "é", "Å", "A\u030a", "\u212b", "ﬁ", "\u1100\u1161\u11a8", "한", "\u0f73",
        "🎬", "\ud83c", "\udfac", "\uD800", "\uDC00", "\uDCFF", "\uFFFD", "\uFFFE", "\uFFFF", "\U0010FFFF",
        "\u03f4", "\u03b8", "\u212a", "k", "K", "\u017f", "s", "\u0130", "\u0131", "i", "ß", "Σ", "ς", "σ",
        "/", "\\", "..", ".", "C:", ",", "2023", "-", "\u05e9\u05dc\u05d5\u05dd", "\u0627\u0644", "%00", "<b>", "\"'",
    ];

    private static readonly string[] DatePieces =
    [
        "", "2023-05-01", "2021", "2021-07", "0000", "9999-12-31", "2024-02-29", "2023-02-29", "2023-13-01", "2023-00-01",
        "2023-01-32", "2023-1-1", " 2023", "2023\n", "\u0662\u0660\u0662\u0663", "2023-05-01T00:00:00Z", "+2023", "-2023",
        "20230501", "2023/05/01",
    ];

    internal static readonly string[] PathPieces =
    [
        "data", "Data", "videos", "media", "..", ".", "", "a.mp4", "C:", "c:", "D:", "Café", "Cafe\u0301", "\u2000", " ",
        "\uD800", "\uDC8D", "🎬", "nas", "k", "K", "\u212a", "..a", "...", "0", "a..", ". .", "\u0130", "i",
    ];

    private static readonly string[] Separators = ["/", "\\", "//", "\\\\", "/./"];

    private static readonly int[] Ratings = [int.MinValue, -1, 0, 1, 2, 50, 85, 99, 100, 101, 1000, int.MaxValue];

    public static string Text(Random random, int maxPieces = 12)
    {
        if (random.Next(20) == 0)
        {
            // Long: past every cap, in a piece that may be two UTF-16 units or decompose.
            var piece = TextPieces[random.Next(TextPieces.Length)];
            return string.Concat(Enumerable.Repeat(piece.Length == 0 ? "x" : piece, random.Next(100, 12_000)));
        }

        var count = random.Next(maxPieces + 1);
        return string.Concat(Enumerable.Range(0, count).Select(_ => TextPieces[random.Next(TextPieces.Length)]));
    }

    public static string Date(Random random) =>
        random.Next(4) == 0 ? Text(random, 4) : DatePieces[random.Next(DatePieces.Length)];

    public static int Rating(Random random) =>
        random.Next(2) == 0 ? Ratings[random.Next(Ratings.Length)] : random.Next(-200, 300);

    public static string Path(Random random, int maxSegments = 6)
    {
        var count = random.Next(maxSegments + 1);
        var lead = random.Next(3) switch { 0 => "", 1 => "/", _ => "\\\\" };
        var segments = Enumerable.Range(0, count).Select(_ => PathPieces[random.Next(PathPieces.Length)]);
        return lead + string.Join(Separators[random.Next(Separators.Length)], segments);
    }

    /// <summary>
    /// Is the text NFC? <see cref="string.IsNormalized()"/> throws on lone surrogates and U+FFFE, so
    /// those are swapped for U+0000, which like them never composes, before asking.
    /// </summary>
    public static bool IsNfc(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]) || chars[i] == '\uFFFE')
            {
                chars[i] = '\0';
            }
        }

        return new string(chars).IsNormalized(System.Text.NormalizationForm.FormC);
    }

    /// <summary>Is the text well-formed UTF-16 (no lone surrogate)?</summary>
    public static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
