using System.CommandLine;
using System.Globalization;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Operations;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace PlexSync.Commands;

/// <summary>`plexsync plays sync [--since 30d [--dry-run | --wait]]`.</summary>
internal sealed class PlaysSyncCommand : PlexSyncCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly Option<TimeSpan?> SinceOption = new("--since")
    {
        Description = "Backfill the plays of this long back (30d, 12h, 90m): Plex's history from then to now, apart from the schedule",
        CustomParser = result => OptionValues.Since(result),
    };

    private static readonly Option<bool> DryRunOption = new("--dry-run", "-n")
    {
        Description = "With --since: print, per scene, the play times it would add and those Stash has, and the plays without a scene and why; " +
            "writes nothing and starts no workflow. Needs plex.token",
    };

    private static readonly Option<bool> WaitOption = new("--wait", "-w")
    {
        Description = "With --since: follow the backfill until it ends and print its counts; exit status 1 if a play failed. Ctrl-C only stops following",
    };

    public PlaysSyncCommand()
        : base("sync", "Read Plex's watch history into Stash plays now, or backfill a time range")
    {
        Description =
            """
            Without --since: run the plays schedule now (it reads on from where its last run stopped;
            a run in progress is not joined by a second).

            With --since 30d: backfill the plays of that long back, in Temporal as the workflow
            "plays-backfill" (one at a time). A play Stash has already is not added again, so a
            backfill over plays recorded before adds nothing. The schedule's own cursor is left as it is.
            --dry-run reads the same plays in this process and prints what a backfill would add.
            """;
        Options.Add(SinceOption);
        Options.Add(DryRunOption);
        Options.Add(WaitOption);
        Validators.Add(result =>
        {
            // Whether --since was given, not its value: a bad value is its own parse error.
            if (result.GetResult(SinceOption) is null && (result.GetValue(DryRunOption) || result.GetValue(WaitOption)))
            {
                result.AddError("--dry-run and --wait need --since (the time range to backfill), e.g. --since 30d");
            }
            else if (result.GetValue(DryRunOption) && result.GetValue(WaitOption))
            {
                result.AddError("--dry-run starts nothing to wait for; give one of --dry-run or --wait");
            }
        });
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var since = parse.GetValue(SinceOption);
        var dryRun = parse.GetValue(DryRunOption);
        var context = CommandContext.Load(parse, needPlex: dryRun);
        var now = DateTimeOffset.UtcNow;
        if (dryRun)
        {
            return await DryRunAsync(context.Config, now - since!.Value, now, cancellationToken);
        }

        var client = await context.ConnectAsync(cancellationToken);
        var taskQueue = context.Config.Temporal.TaskQueue;
        if (since is null)
        {
            await TriggerAsync(client, taskQueue, cancellationToken);
            return ExitCodes.Success;
        }

        var handle = await StartBackfillAsync(client, taskQueue, now - since.Value, now, context.Config.Plays.PageSize, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Backfill [bold]{handle.Id}[/] of the plays since {PlayTimes.Show((now - since.Value).ToUnixTimeSeconds())} is running in Temporal.");
        if (!parse.GetValue(WaitOption))
        {
            AnsiConsole.WriteLine("Follow it in the Temporal Web UI, or start it with --wait.");
            return ExitCodes.Success;
        }

        try
        {
            var result = await FollowAsync(handle, cancellationToken);
            Write(result.Progress);
            return result.Progress.Failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.WriteLine("Stopped following. The backfill goes on in Temporal.");
            return ExitCodes.Interrupted;
        }
        catch (WorkflowFailedException e)
        {
            var cause = e.InnerException is ApplicationFailureException app ? $"{app.ErrorType}: {app.Message}" : e.InnerException?.Message ?? e.Message;
            throw new UserFacingException("the backfill failed: " + cause, e);
        }
    }

    private static async Task TriggerAsync(ITemporalClient client, string taskQueue, CancellationToken cancellationToken)
    {
        var id = PlaysSchedule.Id(taskQueue);
        try
        {
            await client.GetScheduleHandle(id).TriggerAsync(
                new ScheduleTriggerOptions { Overlap = ScheduleOverlapPolicy.Skip, Rpc = new RpcOptions { CancellationToken = cancellationToken } });
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            throw new UserFacingException(
                $"there is no plays schedule ({id}): plays.every is off, or no worker has started yet. Give --since to backfill a time range", e);
        }

        AnsiConsole.WriteLine($"Plays schedule {id} triggered: a run reads Plex's history from where the last one stopped (none, if one is running).");
    }

    private static async Task<WorkflowHandle<PlaysWorkflow, PlaysResult>> StartBackfillAsync(
        ITemporalClient client, string taskQueue, DateTimeOffset from, DateTimeOffset until, int pageSize, CancellationToken cancellationToken)
    {
        var input = new PlaysInput { Mode = PlaysModes.Backfill, Cursor = PlaysCursor.From(from), Until = until.ToUnixTimeSeconds(), PageSize = pageSize };
        try
        {
            return await client.StartWorkflowAsync(
                (PlaysWorkflow wf) => wf.RunAsync(input),
                new WorkflowOptions(PlaysSchedule.Scoped(PlaysWorkflow.BackfillId, taskQueue), taskQueue)
                {
                    IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
                    StaticSummary = $"Backfill Stash plays from Plex's history since {PlayTimes.Show(from.ToUnixTimeSeconds())}",
                    Rpc = new RpcOptions { CancellationToken = cancellationToken },
                });
        }
        catch (WorkflowAlreadyStartedException e)
        {
            throw new UserFacingException("a plays backfill is already running; wait for it (the Temporal Web UI shows it), then start another", e);
        }
    }

    // A line whenever the counts change, until the backfill ends; cancellation stops following, never the backfill.
    private static async Task<PlaysResult> FollowAsync(WorkflowHandle<PlaysWorkflow, PlaysResult> handle, CancellationToken cancellationToken)
    {
        var result = handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
        string? last = null;
        while (!result.IsCompleted)
        {
            try
            {
                var line = (await handle.QueryAsync(wf => wf.Progress, new WorkflowQueryOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } })).Describe();
                if (line != last)
                {
                    AnsiConsole.WriteLine(line);
                    last = line;
                }
            }
            catch (Exception e) when (e is RpcException or WorkflowQueryFailedException or WorkflowQueryRejectedException)
            {
                // A query fails while the run continues as new or no worker is up; the next poll asks again.
                cancellationToken.ThrowIfCancellationRequested();
            }

            await Task.WhenAny(result, Task.Delay(PollInterval, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        return await result;
    }

    private static void Write(PlaysProgress p)
    {
        var table = new Table().RoundedBorder().AddColumn("Plays").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (label, value) in new[]
        {
            ("history rows read", p.Read),
            ("added to Stash", p.Added),
            ("already in Stash", p.AlreadyPresent),
            ("recorded before (workflow ran already)", p.AlreadyHandled),
            ("unmatched (no Stash scene)", p.Unmatched),
            ("ambiguous (several Stash scenes)", p.Ambiguous),
            ("failed", p.Failed),
            ("doubles removed", p.Repaired),
            ("other accounts or sections, left alone", p.OutOfScope),
        })
        {
            table.AddRow(Markup.Escape(label), value.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        if (p.Unmatched + p.Ambiguous + p.Failed > 0)
        {
            AnsiConsole.WriteLine("`plexsync failed --plays` lists the plays without a scene and the failed ones, with the reason.");
        }
    }

    private static async Task<int> DryRunAsync(PlexSyncConfig config, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        using var clients = new DirectClients(config);
        using var sections = new PlexSectionCache(TimeProvider.System);
        using var servers = new PlexServerCache(TimeProvider.System);
        var planner = new PlaysPlanner(clients.Stash, clients.Plex, config.ToSyncSettings(), sections, servers);
        PlaysDryRunReport report;
        try
        {
            report = await PlaysDryRun.RunAsync(planner, clients.Stash, from, until, cancellationToken);
        }
        catch (ConfigMismatchException e)
        {
            throw new UserFacingException(e.Message, e);
        }

        WriteDryRun(report);
        return ExitCodes.Success;
    }

    private static void WriteDryRun(PlaysDryRunReport report)
    {
        foreach (var scene in report.Scenes)
        {
            AnsiConsole.WriteLine($"Scene {scene.SceneId}  {scene.File}");
            if (scene.Add.Count > 0)
            {
                AnsiConsole.WriteLine("  add      " + string.Join(", ", scene.Add.Select(PlayTimes.Show)));
            }

            if (scene.Present.Count > 0)
            {
                AnsiConsole.WriteLine("  present  " + string.Join(", ", scene.Present.Select(PlayTimes.Show)));
            }
        }

        foreach (var problem in report.Problems)
        {
            var item = problem.RatingKey.Length > 0 ? $"Plex item {problem.RatingKey}" : "a deleted Plex item";
            AnsiConsole.WriteLine($"{char.ToUpperInvariant(problem.Outcome[0])}{problem.Outcome[1..]}  {item}, played {PlayTimes.Show(problem.ViewedAt)}: {problem.Reason}");
        }

        var add = report.Scenes.Sum(s => s.Add.Count);
        AnsiConsole.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Would add {add} plays to {report.Scenes.Count(s => s.Add.Count > 0)} scenes; {report.Scenes.Sum(s => s.Present.Count)} already present; " +
            $"{report.Problems.Count(p => p.Outcome == PlayOutcomes.Unmatched)} unmatched; {report.Problems.Count(p => p.Outcome == PlayOutcomes.Ambiguous)} ambiguous; " +
            $"{report.OutOfScope} plays of other accounts or sections left alone. Nothing was written."));
    }
}
