using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace PlexSync.Domain.Tests;

/// <summary>
/// The sanitiser on any hostile text: it never throws (lone surrogates included), its
/// output is well-formed, NFC, trimmed, free of control characters and within the cap, and cleaning
/// clean text changes nothing. FsCheck, each property with its pinned seed and a fresh one; <see cref="BuildPropertyTests"/> covers the
/// same rules through whole scenes, these cover the functions with every cap and mode.
/// </summary>
public class SanitizerPropertyTests
{
    private static readonly int[] Caps = [0, 1, 2, 3, 7, Sanitizer.MaxTagLength, Sanitizer.MaxTitleLength, Sanitizer.MaxSummaryLength];

    [Property(MaxTest = 500, Replay = "(2201,3)")]
    public Property CleanText_AnyText_KeepsEveryRule_PinnedSeed() => CleanText_AnyText_KeepsEveryRule();

    [Property(MaxTest = 500)]
    public Property CleanText_AnyText_KeepsEveryRule_FreshSeed() => CleanText_AnyText_KeepsEveryRule();

    private Property CleanText_AnyText_KeepsEveryRule() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            var (text, max, multiline) = c;
            var clean = Sanitizer.CleanText(text, max, multiline);

            CheckClean(clean, multiline, $"CleanText({Cut(text)}, {max}, {multiline})");
            Assert.True(max == 0 || clean.EnumerateRunes().Count() <= max, $"{Samples.Show(Cut(clean))} is over the cap {max}");
        });

    [Property(MaxTest = 500, Replay = "(2202,5)")]
    public Property CleanText_CleanText_IsUnchanged_PinnedSeed() => CleanText_CleanText_IsUnchanged();

    [Property(MaxTest = 500)]
    public Property CleanText_CleanText_IsUnchanged_FreshSeed() => CleanText_CleanText_IsUnchanged();

    private Property CleanText_CleanText_IsUnchanged() =>
        Prop.ForAll(Arb.From(Cases()), c =>
        {
            var (text, max, multiline) = c;
            var once = Sanitizer.CleanText(text, max, multiline);

            var twice = Sanitizer.CleanText(once, max, multiline);

            Assert.True(once == twice, $"CleanText({Cut(text)}, {max}, {multiline}): {Samples.Show(Cut(once))} then {Samples.Show(Cut(twice))}");
        });

    [Property(MaxTest = 200, Replay = "(2203,7)")]
    public Property CleanTags_AnyNames_KeepsEveryRuleAndIsIdempotent_PinnedSeed() => CleanTags_AnyNames_KeepsEveryRuleAndIsIdempotent();

    [Property(MaxTest = 200)]
    public Property CleanTags_AnyNames_KeepsEveryRuleAndIsIdempotent_FreshSeed() => CleanTags_AnyNames_KeepsEveryRuleAndIsIdempotent();

    private Property CleanTags_AnyNames_KeepsEveryRuleAndIsIdempotent() =>
        Prop.ForAll(Arb.From(Names()), names =>
        {
            var tags = Sanitizer.CleanTags(names);

            Assert.True(tags.Count <= Sanitizer.MaxTags, $"{tags.Count} tags");
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                CheckClean(tag, multiline: false, "a tag");
                Assert.True(tag.Length > 0 && tag.EnumerateRunes().Count() <= Sanitizer.MaxTagLength, $"tag {Samples.Show(Cut(tag))} empty or too long");
                Assert.True(keys.Add(Sanitizer.TagKey(tag)), $"tag {Samples.Show(Cut(tag))} twice");
            }

            Assert.Equal(tags, Sanitizer.CleanTags(tags));
        });

    private static Gen<(string Text, int Max, bool Multiline)> Cases() =>
        from text in Texts()
        from max in Gen.Elements(Caps)
        from multiline in Gen.Elements(true, false)
        select (text, max, multiline);

    // Hostile pieces glued together, any UTF-16 units (lone surrogates too), long runs past every cap, FsCheck's strings.
    internal static Gen<string> Texts()
    {
        var pieces = Gen.ListOf(Gen.Elements(Hostile.TextPieces)).Select(string.Concat);
        var units = Gen.ListOf(Gen.Choose(0, 0xFFFF).Select(c => (char)c)).Select(cs => new string([.. cs]));
        var bmpEdges = Gen.ListOf(Gen.OneOf(Gen.Choose(0, 0x3FF), Gen.Choose(0xD700, 0xE0FF), Gen.Choose(0xFE00, 0xFFFF)).Select(c => (char)c)).Select(cs => new string([.. cs]));
        var longRuns =
            from piece in Gen.Elements(Hostile.TextPieces)
            from count in Gen.Choose(100, 12_000)
            select string.Concat(Enumerable.Repeat(piece.Length == 0 ? "x" : piece, count));
        return Gen.Frequency(
            (4, pieces),
            (2, units),
            (2, bmpEdges),
            (1, longRuns),
            (1, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")));
    }

    private static Gen<List<string>> Names() =>
        Gen.Frequency(
            (4, Gen.ListOf(Gen.OneOf(Texts(), Gen.Elements("Tag", "tag", "TAG", "Ümlaut", "U\u0308mlaut", "\u0130", "i", "  Tag  ")))),
            (1, Gen.Choose(200, 1_000).Select(n => Enumerable.Range(0, n).Select(i => $"tag {i % 300}").ToList())))
        .Select(names => names.ToList());

    private static void CheckClean(string clean, bool multiline, string what)
    {
        Assert.True(Hostile.IsValidUtf16(clean), $"{what} = {Samples.Show(Cut(clean))} has a lone surrogate");
        Assert.True(Hostile.IsNfc(clean), $"{what} = {Samples.Show(Cut(clean))} is not NFC");
        Assert.True(clean == clean.Trim(), $"{what} = {Samples.Show(Cut(clean))} is not trimmed");
        foreach (var rune in clean.EnumerateRunes())
        {
            Assert.True(!Rune.IsControl(rune) || (multiline && rune.Value == '\n'), $"{what} = {Samples.Show(Cut(clean))} holds U+{rune.Value:X4}");
        }
    }

    private static string Cut(string s) => s.Length > 120 ? s[..120] + $"… ({s.Length} units)" : s;
}
