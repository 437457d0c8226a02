using System.Buffers;
using System.Globalization;
using System.Text;

namespace PlexSync.Domain;

/// <summary>The text rules every synced field goes through.</summary>
public static class Sanitizer
{
    // Plex stores these without a hard limit, but very long values make its UI unusable and
    // bloat every Temporal payload that carries them.
    public const int MaxTitleLength = 255;
    public const int MaxSummaryLength = 10_000;
    public const int MaxTagLength = 128;
    public const int MaxTags = 200;
    public const int MaxStudioLength = 255;

    /// <summary>
    /// Cleans one text value: lone surrogates become U+FFFD; control characters are removed,
    /// except newline and tab, which become spaces unless <paramref name="multiline"/>; the text
    /// is normalised to Unicode NFC and trimmed; and it is capped at <paramref name="max"/> code
    /// points (0 = no cap) without splitting one.
    /// </summary>
    public static string CleanText(string? text, int max, bool multiline)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length);
        foreach (var rune in EnumerateRunesReplacingInvalid(text))
        {
            if (rune.Value == '\n' && multiline)
            {
                sb.Append('\n');
            }
            else if (rune.Value is '\n' or '\t' or '\r')
            {
                sb.Append(' ');
            }
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.Control)
            {
                sb.Append(rune.ToString());
            }
        }

        return CapRunes(Nfc(sb.ToString()).Trim(), max);
    }

    /// <summary>
    /// Cleans each name like a single-line field, drops empty names, merges duplicates
    /// case-insensitively (the first spelling wins, as Plex tags are case-insensitive) and keeps
    /// at most <see cref="MaxTags"/>, in input order.
    /// </summary>
    public static IReadOnlyList<string> CleanTags(IEnumerable<string> names)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var clean = CleanText(name, MaxTagLength, multiline: false);
            if (clean.Length == 0 || !seen.Add(TagKey(clean)))
            {
                continue;
            }

            result.Add(clean);
            if (result.Count == MaxTags)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>
    /// The key under which two tag names are the same tag: Plex keeps tags library-wide and may keep
    /// the spelling of the first one created, so names compare case-insensitively after NFC. The
    /// case rule is Unicode simple lower-casing, U+0130 included (which .NET's invariant culture
    /// leaves as it is).
    /// </summary>
    public static string TagKey(string name) =>
        Nfc(Nfc(name).Replace('\u0130', 'i').ToLowerInvariant());

    /// <summary>
    /// Normalises any string to NFC: .NET's
    /// <see cref="string.Normalize()"/> throws on a lone surrogate and on the noncharacter U+FFFE,
    /// so those are kept as they are and the text between them is normalised (neither composes
    /// with a neighbour, so this is what normalising the whole would give).
    /// </summary>
    internal static string Nfc(string text) => Normalize(text, NormalizationForm.FormC);

    /// <summary>Decomposes to NFD (as macOS stores file names), taking any string as <see cref="Nfc"/> does.</summary>
    internal static string Nfd(string text) => Normalize(text, NormalizationForm.FormD);

    private static string Normalize(string text, NormalizationForm form)
    {
        var bad = FirstUnnormalisable(text, 0);
        if (bad < 0)
        {
            return text.Normalize(form);
        }

        var sb = new StringBuilder(text.Length);
        var start = 0;
        while (bad >= 0)
        {
            sb.Append(text[start..bad].Normalize(form)).Append(text[bad]);
            start = bad + 1;
            bad = FirstUnnormalisable(text, start);
        }

        return sb.Append(text[start..].Normalize(form)).ToString();
    }

    // The index of the first lone surrogate or U+FFFE at or after start, or -1.
    private static int FirstUnnormalisable(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]) || text[i] == '\uFFFE')
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<Rune> EnumerateRunesReplacingInvalid(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                used = Math.Max(used, 1);
            }

            yield return rune;
            i += used;
        }
    }

    private static string CapRunes(string text, int max)
    {
        if (max <= 0)
        {
            return text;
        }

        var count = 0;
        for (var i = 0; i < text.Length;)
        {
            if (count == max)
            {
                return text[..i].Trim();
            }

            i += char.IsSurrogatePair(text, i) ? 2 : 1;
            count++;
        }

        return text;
    }
}
