using System.Globalization;

namespace PlexSync.Domain;

/// <summary>
/// The shortened forms of a text that Plex refused whole (every edit travels in a URL, and Plex's
/// limit on its length is not documented). Each form is the longest prefix, cut between user-perceived
/// characters, that with a closing <see cref="Mark"/> fits one of <see cref="Budgets"/> once
/// percent-encoded; a sync tries them in turn. The forms depend on the text alone, so a later diff
/// recognises the form Plex holds and does not write it again.
/// </summary>
public static class LongText
{
    /// <summary>Ends a shortened text, so that a reader sees it was cut.</summary>
    public const string Mark = "\u2026";

    /// <summary>The sizes, in bytes of the percent-encoded value, of the shortened forms, largest first.</summary>
    public static readonly IReadOnlyList<int> Budgets = [7_000, 3_000, 1_000];

    /// <summary>The length of a value in a query string: UTF-8, with every byte but RFC 3986's unreserved ones as %XX.</summary>
    public static int EncodedLength(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            length += rune.IsAscii && IsUnreserved((char)rune.Value) ? 1 : 3 * rune.Utf8SequenceLength;
        }

        return length;
    }

    /// <summary>The shortened form of <paramref name="value"/> for <paramref name="budget"/>, or the value itself when it fits.</summary>
    public static string Shorten(string value, int budget)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (EncodedLength(value) <= budget)
        {
            return value;
        }

        var room = budget - EncodedLength(Mark);
        var used = 0;
        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(value);
        while (elements.MoveNext())
        {
            var size = EncodedLength(elements.GetTextElement());
            if (used + size > room)
            {
                break;
            }

            used += size;
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return value[..cut].TrimEnd() + Mark;
    }

    /// <summary>Whether <paramref name="have"/> is one of the shortened forms a sync writes for <paramref name="want"/>.</summary>
    public static bool IsShortenedFrom(string have, string want)
    {
        ArgumentNullException.ThrowIfNull(have);
        ArgumentNullException.ThrowIfNull(want);
        if (!have.EndsWith(Mark, StringComparison.Ordinal) || have.Length >= want.Length + Mark.Length)
        {
            return false;
        }

        var size = EncodedLength(want);
        return Budgets.Any(b => size > b && Shorten(want, b) == have);
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
