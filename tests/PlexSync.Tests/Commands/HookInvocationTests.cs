using PlexSync.Commands;

namespace PlexSync.Tests.Commands;

public sealed class HookInvocationTests
{
    public static TheoryData<string[]> Plain => new()
    {
        { ["hook"] },
        { ["hook", "--config", "/plugins/plexsync/plexsync.yaml"] },
        { ["hook", "-c", "plexsync.yaml", "--timeout", "500ms"] },
        { ["--config", "hook", "hook"] },
        { ["--debug", "hook", "--log-format", "json", "--timeout", "1m30s"] },
    };

    public static TheoryData<string[]> NotPlain => new()
    {
        { [] },
        { ["worker"] },
        { ["hook", "--help"] },
        { ["hook", "-h"] },
        { ["hook", "extra"] },
        { ["hook", "hook"] },
        { ["hook", "--config"] },
        { ["hook", "--config=plexsync.yaml"] },
        { ["hook", "--config", "a.yaml", "-c", "b.yaml"] },
        { ["hook", "--config", "@args.rsp"] },
        { ["[diagram]", "hook"] },
        { ["hook", "--timeout", "0s"] },
        { ["hook", "--timeout", "soon"] },
        { ["hook", "--debug", "true"] },
    };

    // What the start-up path takes, the command tree reads the same way: same command, same values, no error.
    [Theory]
    [MemberData(nameof(Plain))]
    public void TryParse_PlainHookCommandLine_ReadsWhatTheCommandTreeReads(string[] args)
    {
        var hook = HookInvocation.TryParse(args);

        Assert.NotNull(hook);
        var parse = Cli.CreateRootCommand().Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal("hook", parse.CommandResult.Command.Name);
        Assert.Equal(parse.GetValue(Cli.ConfigOption), hook.ConfigPath);
        Assert.Equal(parse.GetValue<TimeSpan>("--timeout"), hook.Timeout);
    }

    // Help, errors and unusual spellings go to the command tree, which prints and reports them as for any command.
    [Theory]
    [MemberData(nameof(NotPlain))]
    public void TryParse_AnythingElse_LeavesItToTheCommandTree(string[] args) =>
        Assert.Null(HookInvocation.TryParse(args));

    // A hook command line, even with a bad value, runs in invariant globalization; help and other commands do not.
    [Theory]
    [InlineData(true, "hook", "--timeout", "soon")]
    [InlineData(true, "hook", "-c", "plexsync.yaml")]
    [InlineData(false, "hook", "--help")]
    [InlineData(false, "worker", "--config", "hook")]
    [InlineData(false, "sync", "hook")]
    public void IsHook_ReadsTheShapeNotTheValues(bool expected, params string[] args) =>
        Assert.Equal(expected, HookInvocation.IsHook(args));

    [Fact]
    public void TryParse_NoTimeout_TakesTheOptionsDefault()
    {
        var hook = HookInvocation.TryParse(["hook"]);

        Assert.Equal(HookCommand.DefaultTimeout, hook?.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), Cli.CreateRootCommand().Parse(["hook"]).GetValue<TimeSpan>("--timeout"));
    }
}
