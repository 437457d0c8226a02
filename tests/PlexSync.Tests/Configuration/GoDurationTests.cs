using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

public sealed class GoDurationTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "30s", TimeSpan.FromSeconds(30) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "1h30m", TimeSpan.FromMinutes(90) },
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "24h", TimeSpan.FromHours(24) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { ".5s", TimeSpan.FromMilliseconds(500) },
        { "2us", TimeSpan.FromTicks(20) },
        { "2µs", TimeSpan.FromTicks(20) },
        { "0", TimeSpan.Zero },
        { "-1m", TimeSpan.FromMinutes(-1) },
        { "+1h", TimeSpan.FromHours(1) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ParsesGoSyntax(string text, TimeSpan expected)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(expected, d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("soon")]
    [InlineData("5 minutes")]
    [InlineData("1d")]
    [InlineData(".s")]
    [InlineData("-")]
    [InlineData("1..5s")]
    [InlineData("99999999999999999999999h")]
    public void RefusesWhatGoRefuses(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("1h30m", "1h30m0s")]
    [InlineData("30s", "30s")]
    [InlineData("500ms", "500ms")]
    [InlineData("0s", "0s")]
    [InlineData("1.5s", "1.5s")]
    public void FormatsAsGoDoes(string text, string expected)
    {
        Assert.True(GoDuration.TryParse(text, out var d));
        Assert.Equal(expected, GoDuration.Format(d));
    }
}
