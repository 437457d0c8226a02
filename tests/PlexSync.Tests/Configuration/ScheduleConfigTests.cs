using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

/// <summary>reconcile.schedule: the default schedule workers create, or off.</summary>
public sealed class ScheduleConfigTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Default_IsSixHours()
    {
        var c = ConfigLoader.Load(null, Env.None, needPlex: false);

        Assert.Equal("6h", c.Reconcile.Schedule);
        Assert.Equal(TimeSpan.FromHours(6), c.Reconcile.DefaultInterval());
    }

    [Theory]
    [InlineData("off", null)]
    [InlineData("OFF", null)]
    [InlineData("'off'", null)]
    [InlineData("1m", 60)]
    [InlineData("24h", 86400)]
    [InlineData("1h30m", 5400)]
    public void Yaml_DurationOrOff(string value, int? seconds)
    {
        var c = ConfigLoader.Load(files.Write("c.yaml", $"reconcile:\n  schedule: {value}\n"), Env.None, needPlex: false);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, c.Reconcile.DefaultInterval());
    }

    [Fact]
    public void Environment_OverridesTheFile()
    {
        var c = ConfigLoader.Load(
            files.Write("c.yaml", "reconcile: {schedule: 12h}"), Env.Of(("PLEXSYNC_RECONCILE_SCHEDULE", "off")), needPlex: false);

        Assert.Null(c.Reconcile.DefaultInterval());
    }

    [Theory]
    [InlineData("30s", "shorter than the 1m minimum")]
    [InlineData("sometimes", "is not a duration")]
    [InlineData("''", "is not a duration")]
    [InlineData("-6h", "shorter than the 1m minimum")]
    [InlineData("9000h", "366 days")]
    [InlineData("false", "or off")]
    public void Validation_NamesTheKeyAndTheFix(string value, string why)
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(files.Write("c.yaml", $"reconcile: {{schedule: {value}}}"), Env.None, needPlex: false));

        Assert.Contains("reconcile.schedule", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("or off", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60, "1m")]
    [InlineData(21600, "6h")]
    [InlineData(5400, "1h30m")]
    [InlineData(90, "1m30s")]
    [InlineData(604800, "168h")]
    public void Short_WritesDurationsAsTyped(int seconds, string text)
    {
        Assert.Equal(text, ScheduleSetting.Short(TimeSpan.FromSeconds(seconds)));
        Assert.Null(ScheduleSetting.TryParseInterval(text, out var back));
        Assert.Equal(TimeSpan.FromSeconds(seconds), back);
    }
}
