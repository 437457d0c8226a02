using System.Text;

namespace PlexSync.Domain.Tests;

public class SanitizerTests
{
    // One row per text rule (lone surrogates, which InlineData cannot carry, have a fact of their own)
    [Theory]
    [InlineData("control characters removed", "a\0b\u0007c\u001b[31m", 0, false, "abc[31m")]
    [InlineData("newline and tab become spaces", "a\nb\tc\r", 0, false, "a b c")]
    [InlineData("newline kept when multiline", "a\nb", 0, true, "a\nb")]
    [InlineData("NFC normalisation", "e\u0301", 0, false, "\u00e9")]
    [InlineData("trimmed", "  x  ", 0, false, "x")]
    [InlineData("capped by code points, not UTF-16 units", "ééééé", 3, false, "ééé")]
    [InlineData("cap trims trailing space", "ab cd", 3, false, "ab")]
    [InlineData("right-to-left text kept", "\u05e9\u05dc\u05d5\u05dd", 0, false, "\u05e9\u05dc\u05d5\u05dd")]
    [InlineData("emoji kept", "🎬 film", 0, false, "🎬 film")]
    [InlineData("empty stays empty", "", 10, false, "")]
    public void CleanText_AppliesTextRules(string rule, string input, int max, bool multiline, string want)
    {
        var got = Sanitizer.CleanText(input, max, multiline);

        Assert.True(want == got, $"{rule}: CleanText({Samples.Show(input)}) = {Samples.Show(got)}, want {Samples.Show(want)}");
    }

    // The cap counts code points: in UTF-16 an emoji is two units but one code point
    [Fact]
    public void CleanText_Cap_CountsSurrogatePairsAsOneAndNeverSplitsThem()
    {
        Assert.Equal("🎬🎬", Sanitizer.CleanText("🎬🎬🎬", 2, multiline: false));
    }

    // Lone surrogates (UTF-16's invalid text, which xunit cannot carry in InlineData, hence a fact);
    // a lone low surrogate and a reversed pair too
    [Fact]
    public void CleanText_LoneSurrogates_BecomeReplacementCharacters()
    {
        Assert.Equal("a\uFFFDb", Sanitizer.CleanText("a\uD800b", 0, multiline: false));
        Assert.Equal("a\uFFFD\uFFFDb", Sanitizer.CleanText("a\uDC00\uD800b", 0, multiline: false));
    }

    // Any text is normalised: .NET's Normalize refuses the noncharacter U+FFFE, which is kept
    // (it is neither invalid nor a control character).
    [Fact]
    public void CleanText_Noncharacters_KeptAndTheRestNormalised()
    {
        Assert.Equal("a\uFFFE\u00e9\uFFFF\uFDD0\U0010FFFF", Sanitizer.CleanText("a\uFFFEe\u0301\uFFFF\uFDD0\U0010FFFF", 0, multiline: false));
        Assert.Equal("\u00e9\uFFFD\u00e9", Sanitizer.CleanText("e\u0301\uD800e\u0301", 0, multiline: false));
    }

    [Fact]
    public void TagKey_Noncharacter_DoesNotThrow()
    {
        Assert.Equal(Sanitizer.TagKey("Cafe\u0301\uFFFE"), Sanitizer.TagKey("CAFÉ\uFFFE"));
    }

    [Fact]
    public void CleanText_Null_IsEmpty()
    {
        Assert.Equal("", Sanitizer.CleanText(null, 10, multiline: false));
    }

    // C1 controls (U+0080..U+009F) are controls too
    [Fact]
    public void CleanText_C1Controls_AreRemoved()
    {
        Assert.Equal("ab", Sanitizer.CleanText("a\u0085\u009bb\u007f", 0, multiline: true));
    }

    [Fact]
    public void CleanTags_MergesDuplicatesCaseInsensitively_FirstSpellingWins()
    {
        var got = Sanitizer.CleanTags(["Action", " action ", "", "Drama\0", "DRAMA", "Comedy"]);

        Assert.Equal(["Action", "Drama", "Comedy"], got);
    }

    [Fact]
    public void CleanTags_ManyTags_CappedAtMaxTags()
    {
        var many = Enumerable.Range(0, Sanitizer.MaxTags + 10).Select(i => $"tag {i}").ToList();

        var got = Sanitizer.CleanTags(many);

        Assert.Equal(Sanitizer.MaxTags, got.Count);
        Assert.Equal(many.Take(Sanitizer.MaxTags), got);
    }

    [Fact]
    public void CleanTags_LongTag_CappedAtMaxTagLength()
    {
        var got = Sanitizer.CleanTags([new string('y', 500)]);

        Assert.Equal(Sanitizer.MaxTagLength, Assert.Single(got).Length);
    }

    // Tags that differ only in normal form are the same tag.
    [Fact]
    public void CleanTags_SameNameInDifferentNormalForms_Merged()
    {
        Assert.Equal(["Café"], Sanitizer.CleanTags(["Café", "Cafe\u0301", "CAFE\u0301"]));
    }

    // Tags merge by Unicode simple lower-casing, not only ASCII.
    [Theory]
    [InlineData("Straße", "STRASSE", 2)] // full case folding is not simple case mapping: two tags
    [InlineData("Σοφία", "ΣΟΦΊΑ", 1)]
    [InlineData("\u03F4", "\u03B8", 1)] // ϴ lower-cases to θ
    [InlineData("\u212A", "k", 1)] // the Kelvin sign lower-cases to k
    [InlineData("\u017F", "s", 2)] // long s lower-cases to itself: a different tag
    [InlineData("\u0130stanbul", "istanbul", 1)] // U+0130 lower-cases to i (.NET's invariant culture leaves it)
    [InlineData("\u0131", "i", 2)] // dotless i lower-cases to itself
    public void CleanTags_CaseVariants_MergedBySimpleLowerCasing(string first, string second, int want)
    {
        Assert.Equal(want, Sanitizer.CleanTags([first, second]).Count);
    }

    [Theory]
    [InlineData("outdoor", "Outdoor")]
    [InlineData("Cafe\u0301", "Café")]
    [InlineData("CAFE\u0301", "café")]
    public void TagKey_SameTag_SameKey(string a, string b)
    {
        Assert.Equal(Sanitizer.TagKey(a), Sanitizer.TagKey(b));
    }

    [Theory]
    [InlineData("Cafe", "Café")]
    [InlineData("Outdoor", "Outdoors")]
    public void TagKey_DifferentTags_DifferentKeys(string a, string b)
    {
        Assert.NotEqual(Sanitizer.TagKey(a), Sanitizer.TagKey(b));
    }

    // Plex's JSON may carry an escaped lone surrogate in a tag name; the key must not throw.
    [Fact]
    public void TagKey_LoneSurrogate_DoesNotThrow()
    {
        Assert.Equal(Sanitizer.TagKey("a\uD800"), Sanitizer.TagKey("A\uD800"));
        Assert.NotEqual(Sanitizer.TagKey("a\uD800"), Sanitizer.TagKey("a"));
        Assert.True(Sanitizer.TagKey("é").IsNormalized(NormalizationForm.FormC));
    }
}
