using System.Globalization;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Spool;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>A running sync: its scene, since when, and what its pending activity is retrying, if anything.</summary>
public sealed record RunningSync(string SceneId, DateTime StartedAt, string? RetryingOn, int? Attempt);

/// <summary>The running syncs: how many, and the oldest few.</summary>
public sealed record RunningSyncs(long Count, IReadOnlyList<RunningSync> Oldest);

/// <summary>Whether a reconciliation runs and, when its progress query answers, how far it is.</summary>
public sealed record ReconcileStatus(bool Running, ReconcileProgress? Progress, string? ProgressError);

/// <summary>The periodic reconciliation's schedule, when there is one, with its interval.</summary>
public sealed record ScheduleStatus(string Id, bool Exists, bool Paused, DateTime? NextRun, TimeSpan? Every = null);

/// <summary>The hook's spool: sync requests waiting for Temporal.</summary>
public sealed record SpoolStatus(string Path, int Pending);

/// <summary>Who polls a task queue: a worker that polled within the last few minutes is listed by the server.</summary>
public sealed record QueueStatus(string TaskQueue, string Kind, int Pollers, DateTime? LastPoll);

/// <summary>What `plexsync status` reports.</summary>
public sealed record StatusReport
{
    /// <summary>
    /// What every breaker line says: the breaker lives in each worker process, which status cannot
    /// ask, so the line reports only what the running syncs show.
    /// </summary>
    public const string BreakerScope = "each worker keeps its own breaker and logs every change";

    public required DateTime At { get; init; }

    public required RunningSyncs Running { get; init; }

    /// <summary>Gets the syncs closed in the last 24 h: completed ones by PlexSyncOutcome, failed ones, and "stopped" ones (terminated, timed out, cancelled).</summary>
    public required IReadOnlyDictionary<string, long> Last24h { get; init; }

    public DateTime? LastSuccess { get; init; }

    public required ReconcileStatus Reconciliation { get; init; }

    public required ScheduleStatus Schedule { get; init; }

    public required SpoolStatus Spool { get; init; }

    /// <summary>Gets what the running syncs show of the workers' circuit breakers (their last failure PlexCircuitOpen).</summary>
    public string PlexCircuitBreaker { get; init; } = "";

    public IReadOnlyList<QueueStatus> Workers { get; init; } = [];

    /// <summary>Gets the plays: their schedule, last run and the history rows of the last 24 h by outcome.</summary>
    public PlaysStatus? Plays { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Gathers <see cref="StatusReport"/> from Temporal visibility, the reconcile workflow, the schedule, the task queues and the spool.</summary>
public static class StatusGatherer
{
    /// <summary>The key of terminated, timed-out and cancelled syncs in <see cref="StatusReport.Last24h"/>.</summary>
    public const string Stopped = "stopped";

    /// <summary>How many of the oldest running syncs status shows.</summary>
    public const int OldestShown = 5;

    /// <summary>The outcome keys of <see cref="StatusReport.Last24h"/>, in the order status prints them.</summary>
    public static readonly IReadOnlyList<string> OutcomeKeys = [Outcomes.Synced, Outcomes.Unchanged, Outcomes.Skipped, Outcomes.Failed, Stopped];

    private const string Syncs = $"WorkflowType = '{SceneSyncWorkflow.Name}'";
    private const string Running = Syncs + " AND ExecutionStatus = 'Running'";
    // A finished reconciliation counts as a success: a library with nothing to change runs no sync.
    private const string Succeeded = $"WorkflowType IN ('{SceneSyncWorkflow.Name}', '{ReconcileWorkflow.Name}') AND ExecutionStatus = 'Completed'";

    // Running syncs are listed to find the oldest (SQL visibility cannot sort); beyond this many, the
    // oldest among them are shown.
    private const int RunningListed = 1000;

    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    public static async Task<StatusReport> GatherAsync(ITemporalClient client, string taskQueue, string spoolPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = DateTime.UtcNow;
        var dayAgo = (now - Day).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };

        // Independent reads, at once: status should answer in about one round trip.
        var running = RunningAsync(client, rpc);
        var counts = OutcomeKeys.ToDictionary(k => k, k => CountAsync(client, OutcomeQuery(k, dayAgo), rpc));
        var lastSuccess = LastSuccessAsync(client, rpc);
        var reconcile = ReconcileAsync(client, rpc);
        var schedule = ScheduleAsync(client, rpc);
        var workers = Task.WhenAll(
            QueueAsync(client, taskQueue, TaskQueueType.Workflow, "workflows", rpc),
            QueueAsync(client, ActivityPolicies.PlexQueue(taskQueue), TaskQueueType.Activity, "Plex activities", rpc));
        var plays = PlaysStatusGatherer.GatherAsync(client, taskQueue, now, rpc);
        await Task.WhenAll([running, .. counts.Values, lastSuccess, reconcile, schedule, workers, plays]);

        var report = new StatusReport
        {
            At = now,
            Running = await running,
            Last24h = await CollectAsync(counts),
            LastSuccess = await lastSuccess,
            Reconciliation = await reconcile,
            Schedule = await schedule,
            Spool = new SpoolStatus(spoolPath, new SyncSpool(spoolPath).Entries().Count),
            Workers = await workers,
            Plays = await plays,
        };
        return report with { PlexCircuitBreaker = Breaker(report.Running), Warnings = [.. Warnings(report), .. PlaysStatusGatherer.Warnings(report.Plays!, now)] };
    }

    /// <summary>
    /// The breaker line from the running syncs: a worker's open breaker fails each Plex activity with
    /// PlexCircuitOpen, which the server keeps as the pending activity's last failure. Only the oldest
    /// running syncs are described, so "not seen open" is all status can say of the others.
    /// </summary>
    public static string Breaker(RunningSyncs running)
    {
        ArgumentNullException.ThrowIfNull(running);
        var described = running.Oldest.Count;
        var waiting = running.Oldest.Count(s => s.RetryingOn == ErrorTypes.PlexCircuitOpen);
        return (running.Count, waiting) switch
        {
            (0, _) => $"nothing to show: no sync runs ({StatusReport.BreakerScope})",
            (_, > 0) => $"open in at least one worker: {waiting} of the {described} oldest running syncs wait on PlexCircuitOpen ({StatusReport.BreakerScope})",
            _ => $"not seen open: none of the {described} oldest running syncs waits on PlexCircuitOpen ({StatusReport.BreakerScope})",
        };
    }

    /// <summary>The visibility query counting one outcome (or the stopped runs) closed since <paramref name="since"/>.</summary>
    /// <remarks>
    /// Failed runs are counted by their status, not by PlexSyncOutcome: runs recorded before the
    /// local-failure-outcome patch failed in their first task without the attribute.
    /// </remarks>
    public static string OutcomeQuery(string outcome, string since) => outcome switch
    {
        Stopped => $"{Syncs} AND ExecutionStatus IN ('Terminated', 'TimedOut', 'Canceled') AND CloseTime > '{since}'",
        Outcomes.Failed => $"{Syncs} AND ExecutionStatus = 'Failed' AND CloseTime > '{since}'",
        _ => $"{Syncs} AND ExecutionStatus = 'Completed' AND {SearchAttributes.Outcome.Name} = '{outcome}' AND CloseTime > '{since}'",
    };

    /// <summary>What needs a person's attention, each with what to do.</summary>
    public static IReadOnlyList<string> Warnings(StatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var warnings = new List<string>();
        const string Check = "If scenes were edited meanwhile, check that a worker runs (`plexsync worker`) and see `plexsync failed`";
        var limit = SuccessLimit(report.Schedule);
        if (report.LastSuccess is not { } last)
        {
            warnings.Add("no sync has succeeded and no reconciliation finished in Temporal's retained history. " + Check);
        }
        else if (report.At - last > limit)
        {
            warnings.Add($"no sync has succeeded and no reconciliation finished for more than {Span(limit)} (the last at {last:yyyy-MM-dd HH:mm} UTC). " + Check);
        }

        foreach (var queue in report.Workers.Where(q => q.Pollers == 0))
        {
            warnings.Add(
                $"no worker has polled task queue {queue.TaskQueue} ({queue.Kind}) in the last few minutes: syncs wait until one does. " +
                "Start `plexsync worker` (or `plexsync dev`) with this temporal.task_queue");
        }

        if (report.Running.Oldest.Any(s => s.RetryingOn == ErrorTypes.PlexCircuitOpen))
        {
            warnings.Add("Plex failed repeatedly, so a worker's circuit breaker holds Plex requests back: check that Plex runs; the syncs resume on their own");
        }

        var failed = report.Last24h.GetValueOrDefault(Outcomes.Failed) + report.Last24h.GetValueOrDefault(Stopped);
        if (failed > 0)
        {
            warnings.Add($"{failed} {(failed == 1 ? "sync" : "syncs")} failed in the last 24 h: `plexsync failed` lists the scenes and what to do");
        }

        if (report.Spool.Pending > 0)
        {
            warnings.Add(
                $"{report.Spool.Pending} hook events wait in the spool because Temporal was unreachable; the next hook, " +
                "`plexsync worker` at start-up or `plexsync reconcile` sends them");
        }

        return warnings;
    }

    /// <summary>
    /// How long without a successful sync is worth a warning: two schedule intervals and an hour (a finished
    /// reconciliation counts, and the last one is always an interval old while the next still runs; the
    /// PlexSyncNoSuccess alert uses the same 13 h for the default 6 h); a day without an active schedule.
    /// </summary>
    public static TimeSpan SuccessLimit(ScheduleStatus schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule is { Exists: true, Paused: false, Every: { } every } && every > TimeSpan.Zero
            ? (2 * every) + TimeSpan.FromHours(1)
            : Day;
    }

    private static string Span(TimeSpan span) => span == Day ? "a day" : GoDuration.Format(span);

    private static async Task<RunningSyncs> RunningAsync(ITemporalClient client, RpcOptions rpc)
    {
        var count = CountAsync(client, Running, rpc);
        var listed = new List<SyncRun>();
        await foreach (var execution in client.ListWorkflowsAsync(Running, new WorkflowListOptions { Limit = RunningListed, Rpc = rpc }))
        {
            listed.Add(SyncRun.From(execution));
        }

        var oldest = await Task.WhenAll(listed.OrderBy(r => r.StartTime).Take(OldestShown).Select(r => WaitingAsync(client, r, rpc)));
        return new RunningSyncs(await count, oldest);
    }

    // Why a running sync waits: its pending activity's last failure, as the worker's retries see Plex and Stash.
    private static async Task<RunningSync> WaitingAsync(ITemporalClient client, SyncRun run, RpcOptions rpc)
    {
        try
        {
            var description = await client.WorkflowService.DescribeWorkflowExecutionAsync(
                new DescribeWorkflowExecutionRequest
                {
                    Namespace = client.Options.Namespace,
                    Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
                },
                rpc);
            var pending = description.PendingActivities.FirstOrDefault(a => a.LastFailure is not null);
            var type = pending?.LastFailure.ApplicationFailureInfo?.Type;
            return new RunningSync(run.SceneId, run.StartTime, string.IsNullOrEmpty(type) ? null : type, pending?.Attempt);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            // Closed and gone meanwhile: nothing to say about its waiting.
            return new RunningSync(run.SceneId, run.StartTime, null, null);
        }
    }

    private static async Task<IReadOnlyDictionary<string, long>> CollectAsync(Dictionary<string, Task<long>> counts)
    {
        var collected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in counts)
        {
            collected[key] = await count;
        }

        return collected;
    }

    private static async Task<long> CountAsync(ITemporalClient client, string query, RpcOptions rpc) =>
        (await client.CountWorkflowsAsync(query, new WorkflowCountOptions { Rpc = rpc })).Count;

    private static async Task<DateTime?> LastSuccessAsync(ITemporalClient client, RpcOptions rpc)
    {
        try
        {
            return await FirstCloseTimeAsync(client, Succeeded + " ORDER BY CloseTime DESC", rpc);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.InvalidArgument)
        {
            // SQL visibility (the dev server, PostgreSQL) does not sort on request; its own order is newest close first.
            return await FirstCloseTimeAsync(client, Succeeded, rpc);
        }
    }

    private static async Task<DateTime?> FirstCloseTimeAsync(ITemporalClient client, string query, RpcOptions rpc)
    {
        await foreach (var execution in client.ListWorkflowsAsync(query, new WorkflowListOptions { Limit = 1, Rpc = rpc }))
        {
            return execution.CloseTime;
        }

        return null;
    }

    private static async Task<ReconcileStatus> ReconcileAsync(ITemporalClient client, RpcOptions rpc)
    {
        var handle = client.GetWorkflowHandle<ReconcileWorkflow>(ReconcileWorkflow.DefaultId);
        try
        {
            var description = await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
            if (description.Status != WorkflowExecutionStatus.Running)
            {
                return new ReconcileStatus(false, null, null);
            }
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return new ReconcileStatus(false, null, null);
        }

        try
        {
            return new ReconcileStatus(true, await handle.QueryAsync(wf => wf.Progress, new WorkflowQueryOptions { Rpc = rpc }), null);
        }
        catch (Exception e) when (e is RpcException or WorkflowQueryFailedException)
        {
            // A query needs a worker: without one the reconciliation still runs, its progress is unknown.
            return new ReconcileStatus(true, null, e.Message);
        }
    }

    internal static Task<ScheduleStatus> ScheduleAsync(ITemporalClient client, RpcOptions rpc) => ScheduleAsync(client, ReconcileSchedule.Id, rpc);

    internal static async Task<ScheduleStatus> ScheduleAsync(ITemporalClient client, string id, RpcOptions rpc)
    {
        try
        {
            var description = await client.GetScheduleHandle(id).DescribeAsync(rpc);
            return new ScheduleStatus(
                id,
                true,
                description.Schedule.State.Paused,
                description.Info.NextActionTimes.FirstOrDefault() is { } next && next != default ? next : null,
                description.Schedule.Spec.Intervals.FirstOrDefault()?.Every);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return new ScheduleStatus(id, false, false, null);
        }
    }

    internal static async Task<QueueStatus> QueueAsync(ITemporalClient client, string taskQueue, TaskQueueType type, string kind, RpcOptions rpc)
    {
        var pollers = await TaskQueuePollers.ListAsync(client, taskQueue, type, rpc);
        return new QueueStatus(taskQueue, kind, pollers.Count, pollers.Select(p => p.LastPoll).Max());
    }
}
