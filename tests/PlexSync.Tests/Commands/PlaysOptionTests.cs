namespace PlexSync.Tests.Commands;

/// <summary>The plays options parse and are checked by the command line, before anything runs.</summary>
public sealed class PlaysOptionTests
{
    [Theory]
    [InlineData("30d", 30 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    [InlineData("3650d", 3650 * 24 * 60)]
    public void Since_DaysOrADuration(string value, int minutes)
    {
        var parse = Cli.CreateRootCommand().Parse(["plays", "sync", "--since", value, "--dry-run"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(TimeSpan.FromMinutes(minutes), parse.GetValue<TimeSpan?>("--since"));
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0d")]
    [InlineData("-1h")]
    [InlineData("soon")]
    [InlineData("3651d")]
    [InlineData("1.5d")]
    public void Since_NotATimeBack_IsAParseErrorNamingTheOption(string value)
    {
        var errors = Cli.CreateRootCommand().Parse(["plays", "sync", "--since", value]).Errors;

        Assert.Contains(errors, e => e.Message.Contains("--since", StringComparison.Ordinal) && e.Message.Contains("30d", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--dry-run")]
    [InlineData("--wait")]
    public void DryRunOrWait_WithoutSince_IsAnError(string option) =>
        Assert.Contains(Cli.CreateRootCommand().Parse(["plays", "sync", option]).Errors, e => e.Message.Contains("need --since", StringComparison.Ordinal));

    [Fact]
    public void DryRunAndWait_Together_IsAnError() =>
        Assert.NotEmpty(Cli.CreateRootCommand().Parse(["plays", "sync", "--since", "1d", "--dry-run", "--wait"]).Errors);

    [Fact]
    public void Sync_WithoutOptions_Parses() =>
        Assert.Empty(Cli.CreateRootCommand().Parse(["plays", "sync"]).Errors);

    [Fact]
    public void FailedPlays_Parses() =>
        Assert.Empty(Cli.CreateRootCommand().Parse(["failed", "--plays", "--json"]).Errors);

    [Theory]
    [InlineData("--scene", "4")]
    [InlineData("--all-failed")]
    [InlineData("--json")]
    public void RetryPlays_WithSceneOptions_IsAnError(params string[] other) =>
        Assert.Contains(Cli.CreateRootCommand().Parse(["retry", "--plays", .. other]).Errors, e => e.Message.Contains("--plays", StringComparison.Ordinal));

    [Fact]
    public void RetryPlays_WithWait_Parses() =>
        Assert.Empty(Cli.CreateRootCommand().Parse(["retry", "--plays", "--wait"]).Errors);
}
