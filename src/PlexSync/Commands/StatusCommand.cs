using System.CommandLine;
using System.Globalization;
using PlexSync.Operations;
using Spectre.Console;

namespace PlexSync.Commands;

/// <summary>`plexsync status [--json]`.</summary>
internal sealed class StatusCommand : PlexSyncCommand
{
    private static readonly Option<bool> JsonOption = JsonOutput.CreateOption();

    public StatusCommand()
        : base("status", "Show running syncs, the last 24 h's outcomes, the schedule, the spool and the workers")
    {
        Description =
            """
            Show, from Temporal and this machine, how PlexSync is doing:

              - the syncs running now, and the oldest few with what they are retrying (e.g. NotInPlexYet);
              - the syncs that ended in the last 24 h, by outcome (synced, unchanged, skipped, failed,
                and "stopped": terminated, timed out or cancelled from outside);
              - when a sync last succeeded (or a reconciliation finished), with a warning when none has
                for longer than the reconciliation schedule's interval (a day without an active schedule);
              - whether a reconciliation runs (workflow "reconcile") and how far it is;
              - the periodic reconciliation's schedule (plexsync-reconcile) and its next run, or that
                there is none;
              - the hook's spool (spool_path): requests waiting because Temporal was unreachable;
              - the plays: their schedule (plexsync-plays), the last run (how far it read Plex's history,
                its counts), and the history rows of the last 24 h by outcome (added, already present,
                unmatched, ambiguous, failed);
              - the Plex circuit breaker, as far as the running syncs show it: a worker's open breaker
                fails their Plex activities with PlexCircuitOpen (each worker keeps its own breaker and
                logs every change, so its log has the whole story);
              - whether workers poll the task queue (temporal.task_queue) and its -plex queue: the
                server lists a worker that polled in the last few minutes; a warning when none does.

            Warnings say what to do. `plexsync failed` lists the failed syncs. Exit status 0 whenever
            Temporal answered; 1 when it could not be reached.
            """;
        Options.Add(JsonOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: false);
        var client = await context.ConnectAsync(cancellationToken);
        var report = await StatusGatherer.GatherAsync(client, context.Config.Temporal.TaskQueue, context.Config.SpoolPath, cancellationToken);
        if (parse.GetValue(JsonOption))
        {
            JsonOutput.Write(report, CliJsonContext.Default.StatusReport);
        }
        else
        {
            Write(report);
        }

        return ExitCodes.Success;
    }

    private static void Write(StatusReport report)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(3)).AddColumn();
        void Row(string label, string value) => grid.AddRow(Markup.Escape(label), Markup.Escape(value));

        Row("Syncs running", report.Running.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var sync in report.Running.Oldest)
        {
            var waiting = sync.RetryingOn is null ? "" : $", retrying {sync.RetryingOn} (attempt {sync.Attempt})";
            Row("", $"scene {sync.SceneId} since {JsonOutput.Ago(sync.StartedAt, report.At)}{waiting}");
        }

        Row("Last 24 h", string.Join(", ", StatusGatherer.OutcomeKeys
            .Where(k => k != StatusGatherer.Stopped || report.Last24h.GetValueOrDefault(k) > 0)
            .Select(k => $"{report.Last24h.GetValueOrDefault(k)} {(k == StatusGatherer.Stopped ? "stopped (terminated, timed out or cancelled)" : k)}")));
        Row("Last success (sync or reconciliation)", JsonOutput.Ago(report.LastSuccess, report.At));
        Row("Reconciliation", Reconciliation(report.Reconciliation));
        Row("Schedule", Schedule(report.Schedule, report.At));
        Row("Spool", $"{report.Spool.Pending} pending in {report.Spool.Path}");
        foreach (var (label, value) in PlaysStatusOutput.Rows(report.Plays, report.At))
        {
            Row(label, value);
        }

        Row("Plex circuit breaker", report.PlexCircuitBreaker);
        foreach (var queue in report.Workers)
        {
            var pollers = queue.Pollers == 0 ? "no poller seen" : $"{queue.Pollers} poller(s), last poll {JsonOutput.Ago(queue.LastPoll, report.At)}";
            Row($"Task queue {queue.TaskQueue}", $"{queue.Kind}: {pollers}");
        }

        AnsiConsole.Write(grid);
        foreach (var warning in report.Warnings)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]Warning:[/] {warning}");
        }
    }

    private static string Reconciliation(ReconcileStatus status) => status switch
    {
        { Running: false } => "not running (start one with `plexsync reconcile --since 24h --wait`)",
        { Progress: { } p } => $"running: {p.Seen} of {p.Total} scenes checked, {p.Changed} differ, {p.Synced} synced, {p.Failed} failed " +
            "(follow it with `plexsync reconcile --attach`)",
        _ => $"running (its progress did not answer: {status.ProgressError})",
    };

    private static string Schedule(ScheduleStatus schedule, DateTime now)
    {
        if (!schedule.Exists)
        {
            return $"none ({schedule.Id} does not exist): set one with `plexsync schedule set --every 6h`";
        }

        var next = schedule.NextRun is { } at ? $"next run {at.ToLocalTime():yyyy-MM-dd HH:mm:ss} (in {Until(at - now)})" : "no next run";
        return $"{schedule.Id}: {(schedule.Paused ? "paused" : "active")}, {next}";
    }

    private static string Until(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h {span.Minutes}m"
        : $"{Math.Max(0, (int)span.TotalMinutes)}m {Math.Max(0, span.Seconds)}s";
}
