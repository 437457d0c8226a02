namespace PlexSync.Domain.Tests;

public class LongTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("abc-._~")]
    [InlineData("a b&c=d/e?f%g+h")]
    [InlineData("Été 東京 😀 e\u0301")]
    public void EncodedLength_IsTheLengthOfThePercentEncodedValue(string value) =>
        Assert.Equal(Uri.EscapeDataString(value).Length, LongText.EncodedLength(value));

    [Fact]
    public void Shorten_TextThatFits_IsUnchanged()
    {
        Assert.Equal("short", LongText.Shorten("short", 100));
        Assert.Equal("abcde", LongText.Shorten("abcde", 5));
    }

    [Theory]
    [InlineData("Latin text, plain and long. ")]
    [InlineData("東京の長い説明文です。")]
    [InlineData("😀👍🏽 e\u0301 ")]
    public void Shorten_LongText_FitsTheBudgetEndsWithTheMarkAndIsAPrefix(string piece)
    {
        var text = string.Concat(Enumerable.Repeat(piece, 600));

        foreach (var budget in LongText.Budgets)
        {
            var shorter = LongText.Shorten(text, budget);

            Assert.True(LongText.EncodedLength(shorter) <= budget, $"{LongText.EncodedLength(shorter)} > {budget}");
            Assert.True(LongText.EncodedLength(shorter) > budget - 200, $"{LongText.EncodedLength(shorter)} is far under {budget}");
            Assert.EndsWith(LongText.Mark, shorter, StringComparison.Ordinal);
            Assert.StartsWith(shorter[..^LongText.Mark.Length], text, StringComparison.Ordinal);
            Assert.True(LongText.IsShortenedFrom(shorter, text));
        }
    }

    // A cut never splits a user-perceived character: no lone surrogate, no mark on a bare accent.
    [Fact]
    public void Shorten_CutsBetweenTextElements()
    {
        var text = string.Concat(Enumerable.Repeat("👍🏽e\u0301", 2000));

        var shorter = LongText.Shorten(text, LongText.Budgets[^1]);
        var kept = shorter[..^LongText.Mark.Length];

        // Each piece is two elements: the thumb with its skin tone (4 UTF-16 units), then e and its accent (2).
        var rest = kept.Length % "👍🏽e\u0301".Length;
        Assert.True(rest is 0 or 4, $"cut {rest} units into a piece");
    }

    [Fact]
    public void IsShortenedFrom_OnlyTheFormsASyncWrites()
    {
        var text = string.Concat(Enumerable.Repeat("Ein längerer Satz. ", 900));

        Assert.False(LongText.IsShortenedFrom(text, text));
        Assert.False(LongText.IsShortenedFrom(text[..100] + LongText.Mark, text));
        Assert.False(LongText.IsShortenedFrom("short" + LongText.Mark, "short"));
        Assert.True(LongText.IsShortenedFrom(LongText.Shorten(text, LongText.Budgets[0]), text));
        Assert.True(LongText.IsShortenedFrom(LongText.Shorten(text, LongText.Budgets[^1]), text));
    }
}
