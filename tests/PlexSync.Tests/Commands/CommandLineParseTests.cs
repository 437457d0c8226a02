using PlexSync.Commands;
using PlexSync.Configuration;
using PlexSync.Workflows;

namespace PlexSync.Tests.Commands;

/// <summary>
/// Every option that takes a value, and every rule between options, parsed without running anything: a good value
/// reaches the command as it means, a bad one is a parse error naming the option (exit status 2, with the usage).
/// </summary>
public sealed class CommandLineParseTests
{
    private static readonly ReconcileConfig Reconcile = new();

    [Theory]
    [InlineData("--scene 5", new[] { "5" })]
    [InlineData("--scene 1,2 --scene 3", new[] { "1", "2", "3" })]
    [InlineData("-s 7 -s 7", new[] { "7" })]
    public void Sync_Scene_TakesRepeatedAndCommaSeparatedIds(string args, string[] ids) =>
        Assert.Equal(ids, Parse($"sync {args}").GetValue<string[]>("--scene"));

    [Theory]
    [InlineData("sync --scene x", "--scene: \"x\" is not a Stash scene ID")]
    [InlineData("sync --scene 0", "--scene: \"0\" is not a Stash scene ID")]
    [InlineData("sync --scene ,", "--scene: \"\" is not a Stash scene ID")]
    [InlineData("sync", "--scene")]
    [InlineData("retry --scene 1,x", "--scene: \"x\" is not a Stash scene ID")]
    [InlineData("retry", "give --scene ID (repeatable), --all-failed or --plays")]
    [InlineData("retry --scene 1 --all-failed", "give --scene ID (repeatable), --all-failed or --plays")]
    [InlineData("retry --plays --scene 1", "give --scene ID (repeatable), --all-failed or --plays")]
    [InlineData("retry --plays --json", "--plays prints its own lines: give it without --json")]
    [InlineData("plays sync --since 0d", "--since: \"0d\" is not a time back from now")]
    [InlineData("plays sync --since 3651d", "--since: \"3651d\" is not a time back from now")]
    [InlineData("plays sync --wait", "--dry-run and --wait need --since")]
    [InlineData("plays sync --since 1d --dry-run --wait", "give one of --dry-run or --wait")]
    [InlineData("reconcile", "give exactly one of --all, --since DURATION")]
    [InlineData("reconcile --all --scene 3", "give exactly one of --all, --since DURATION")]
    [InlineData("reconcile --since soon", "--since: \"soon\" is not a positive duration")]
    [InlineData("reconcile --since 0s", "--since: \"0s\" is not a positive duration")]
    [InlineData("reconcile --tag red", "--tag: \"red\" is not a Stash tag ID")]
    [InlineData("reconcile --performer -4", "--performer")]
    [InlineData("reconcile --attach --all", "--attach follows the running reconciliation; give no scope with it")]
    [InlineData("reconcile --attach --dry-run", "--dry-run needs a scope")]
    [InlineData("check --sample 0", "--sample: \"0\" is not a positive number")]
    [InlineData("failed --limit many", "--limit: \"many\" is not a positive number")]
    [InlineData("init --secrets vault", "vault")]
    [InlineData("schedule set", "give the interval with --every")]
    [InlineData("schedule set --every 30s", "--every: \"30s\" is shorter than the 1m minimum")]
    [InlineData("schedule set --every soon", "--every: \"soon\" is not a duration")]
    [InlineData("schedule set --every 6h --scope ids", "ids")]
    [InlineData("hook --timeout soon", "--timeout: \"soon\" is not a positive duration")]
    [InlineData("codec-server --listen nowhere", "--listen: \"nowhere\" is not host:port")]
    [InlineData("dev --port 70000", "--port: \"70000\" is not a TCP port")]
    [InlineData("status --log-format xml", "xml")]
    public void BadValue_IsAParseErrorNamingIt(string args, string error) =>
        Assert.Contains(error, string.Join("\n", Parse(args).Errors.Select(e => e.Message)), StringComparison.Ordinal);

    [Theory]
    [InlineData("--all", ReconcileScopes.All, "", "")]
    [InlineData("--since 24h", ReconcileScopes.Recent, "", "1.00:00:00")]
    [InlineData("--scene 4,5", ReconcileScopes.Ids, "", "")]
    [InlineData("--performer 12", ReconcileScopes.Performer, "12", "")]
    [InlineData("--tag 7 --wait", ReconcileScopes.Tag, "7", "")]
    [InlineData("--studio 3 --dry-run", ReconcileScopes.Studio, "3", "")]
    [InlineData("--group 9", ReconcileScopes.Group, "9", "")]
    public void Reconcile_Scope_BecomesTheInput(string args, string scope, string entity, string window)
    {
        var parse = Parse("reconcile " + args);
        Assert.Empty(parse.Errors);
        var input = ReconcileCommand.Input(parse, Reconcile)!;
        Assert.Equal((scope, entity), (input.Scope, input.EntityId));
        Assert.Equal(window, input.Window == TimeSpan.Zero ? "" : input.Window.ToString());
        Assert.Equal(scope == ReconcileScopes.Ids ? ["4", "5"] : [], input.Ids);
    }

    [Fact]
    public void Reconcile_Attach_IsNoNewInput()
    {
        var parse = Parse("reconcile --attach");
        Assert.Empty(parse.Errors);
        Assert.Null(ReconcileCommand.Input(parse, Reconcile));
    }

    [Theory]
    [InlineData("--every 6h", 21600, "recent")]
    [InlineData("--every 1m --scope all", 60, "all")]
    [InlineData("--scope recent --every 1h30m", 5400, "recent")]
    public void ScheduleSet_Parses(string args, int seconds, string scope)
    {
        var parse = Parse("schedule set " + args);
        Assert.Empty(parse.Errors);
        Assert.Equal((TimeSpan.FromSeconds(seconds), scope), ScheduleSetCommand.Parse(parse));
    }

    [Theory]
    [InlineData("check", 200)]
    [InlineData("check --sample 25", 25)]
    public void Check_Sample(string args, int sample) => Assert.Equal(sample, Parse(args).GetValue<int>("--sample"));

    [Theory]
    [InlineData("hook --timeout 500ms", 500)]
    [InlineData("hook", 3000)]
    public void Hook_Timeout(string args, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Parse(args).GetValue<TimeSpan>("--timeout"));

    [Fact]
    public void CodecServer_Listen_EveryInterface() =>
        Assert.Equal(new ListenAddress(ListenAddress.AnyHost, 8081), Parse("codec-server --listen :8081").GetValue<ListenAddress>("--listen"));

    private static System.CommandLine.ParseResult Parse(string args) =>
        Cli.CreateRootCommand().Parse(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
