using System.Globalization;
using PlexSync.Hosting;
using PlexSync.Spool;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>Gathers <see cref="StatusReport"/> from Temporal visibility, the reconcile workflow, the schedule, the task queues and the spool.</summary>
internal static class StatusGatherer
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

    /// <summary>The window of the outcome counts, and how long without success is worth a warning without a schedule.</summary>
    internal static readonly TimeSpan Day = TimeSpan.FromHours(24);

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

        var playsStatus = await plays;
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
            Plays = playsStatus,
        };
        return report with { PlexCircuitBreaker = StatusWarnings.Breaker(report.Running), Warnings = [.. StatusWarnings.Warnings(report), .. PlaysStatusGatherer.Warnings(playsStatus, now)] };
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
