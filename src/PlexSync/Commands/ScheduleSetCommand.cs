using System.CommandLine;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Client;

namespace PlexSync.Commands;

/// <summary>`plexsync schedule set --every 6h [--scope recent|all]`.</summary>
internal sealed class ScheduleSetCommand : PlexSyncCommand
{
    private static readonly Option<TimeSpan> EveryOption = new("--every")
    {
        Description = "Interval between runs, at least 1m: e.g. 30m, 6h, 24h, 168h",
        CustomParser = result =>
        {
            if (ScheduleSetting.TryParseInterval(result.Tokens.Single().Value, out var every) is { } problem)
            {
                result.AddError("--every: " + problem);
            }

            return every;
        },
    };

    private static readonly Option<string> ScopeOption = new Option<string>("--scope")
    {
        Description = "recent: the scenes updated within twice the interval (default); all: every scene",
        DefaultValueFactory = _ => ReconcileScopes.Recent,
    }.AcceptOnlyFromAmong(ReconcileScopes.Recent, ReconcileScopes.All);

    public ScheduleSetCommand()
        : base("set", "Create the reconciliation schedule, or change it")
    {
        Description =
            $"""
            Create the reconciliation schedule ("{ReconcileSchedule.Id}"), or change the existing one
            (its history of recent runs is kept, and a paused one runs again). The first run comes one
            interval after this command; `plexsync schedule show` lists the next ones.

            --scope recent (the default) checks the scenes updated in Stash within twice the interval:
            the overlap covers a run that starts late or is skipped because the previous one still runs.
            It is cheap (one Stash query and one Plex read per page). --scope all checks every scene,
            which also repairs what changed on the Plex side (an item re-added or edited in Plex); on a
            large library run it daily or weekly.

            Runs start the "Reconcile" workflow on the configured task queue, with reconcile.page_size
            and reconcile.concurrency from the config as they are now (set again after changing them).

            Examples:
              plexsync schedule set --every 6h
              plexsync schedule set --every 168h --scope all
            """;
        Options.Add(EveryOption);
        Options.Add(ScopeOption);
        Validators.Add(result =>
        {
            if (!OptionValues.Given(result, EveryOption))
            {
                result.AddError("give the interval with --every, e.g. `plexsync schedule set --every 6h` (at least 1m)");
            }
        });
        SetAction(RunAsync);
    }

    /// <summary>The interval and scope a parsed command line asks for.</summary>
    public static (TimeSpan Every, string Scope) Parse(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return (parse.GetValue(EveryOption), parse.GetValue(ScopeOption)!);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (every, scope) = Parse(parse);
        var context = CommandContext.Load(parse, needPlex: false);
        var client = await context.ConnectAsync(cancellationToken);
        var schedule = ReconcileSchedule.Build(every, scope, context.Config, DateTimeOffset.UtcNow, ReconcileSchedule.SetNote);
        var result = await ReconcileSchedule.SetAsync(client, schedule, cancellationToken);
        var input = ReconcileSchedule.Input(every, scope, context.Config.Reconcile);

        // The server's own next time, which it rounds to the second.
        var description = await client.GetScheduleHandle(ReconcileSchedule.Id).DescribeAsync(new RpcOptions { CancellationToken = cancellationToken });
        var next = description.Info.NextActionTimes.Select(t => ScheduleShowCommand.Time(new DateTimeOffset(t, TimeSpan.Zero))).FirstOrDefault() ?? "none";
        AnsiConsole.WriteLine(
            $"Schedule {ReconcileSchedule.Id} {(result == ReconcileSchedule.SetResult.Created ? "created" : "updated")}: " +
            $"every {ScheduleSetting.Short(every)}, {ReconcileSchedule.Describe(input)}; first run at {next}.");
        AnsiConsole.WriteLine("See it with `plexsync schedule show`; remove it with `plexsync schedule delete`.");
        return ExitCodes.Success;
    }
}
