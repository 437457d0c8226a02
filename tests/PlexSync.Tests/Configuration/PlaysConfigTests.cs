using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

/// <summary>plays.every, plays.accounts and plays.resume.</summary>
public sealed class PlaysConfigTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Defaults_FiveMinutes_TheOwner_NoResume()
    {
        var c = ConfigLoader.Load(null, Env.None, needPlex: false);

        Assert.Equal(TimeSpan.FromMinutes(5), c.Plays.DefaultInterval());
        Assert.Equal(["1"], c.ToSyncSettings().Plays.Accounts);
        Assert.False(c.ToSyncSettings().Plays.Resume);
    }

    [Fact]
    public void Yaml_AccountsByIdOrName_AndResume()
    {
        var c = ConfigLoader.Load(files.Write("c.yaml", "plays:\n  every: 10m\n  accounts: [1, ' alice ']\n  resume: true\n"), Env.None, needPlex: false);

        Assert.Equal(TimeSpan.FromMinutes(10), c.Plays.DefaultInterval());
        Assert.Equal(["1", "alice"], c.ToSyncSettings().Plays.Accounts);
        Assert.True(c.ToSyncSettings().Plays.Resume);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    public void Every_Off_CreatesNoSchedule(string value) =>
        Assert.Null(ConfigLoader.Load(files.Write("c.yaml", $"plays: {{every: {value}}}"), Env.None, needPlex: false).Plays.DefaultInterval());

    [Fact]
    public void Environment_OverridesEvery() =>
        Assert.Null(ConfigLoader.Load(files.Write("c.yaml", "plays: {every: 1h}"), Env.Of(("PLEXSYNC_PLAYS_EVERY", "off")), needPlex: false).Plays.DefaultInterval());

    [Theory]
    [InlineData("plays: {every: 30s}", "plays.every", "outside 1m to 8784h")]
    [InlineData("plays: {every: soon}", "plays.every", "is not a duration")]
    [InlineData("plays: {accounts: []}", "plays.accounts", "list at least one")]
    [InlineData("plays: {accounts: [1, '']}", "plays.accounts", "an entry is empty")]
    [InlineData("plays: {resume: maybe}", "plays.resume", "true/false")]
    [InlineData("plays: {page_size: 0}", "plays.page_size", "between 1 and 1000")]
    public void Validation_NamesTheKeyAndTheFix(string yaml, string key, string why)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(files.Write("c.yaml", yaml), Env.None, needPlex: false));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
