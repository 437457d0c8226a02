using System.Globalization;
using PlexSync.Hosting;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>The last plays run that ended: when, how, its counts and how far it read.</summary>
internal sealed record PlaysRun(string WorkflowId, DateTime ClosedAt, string Status, PlaysProgress? Progress, DateTime? RecordedUpTo);

/// <summary>The plays block of `plexsync status`: the schedule, the last run, and the history rows of the last 24 h by outcome.</summary>
internal sealed record PlaysStatus(ScheduleStatus Schedule, PlaysRun? LastRun, IReadOnlyDictionary<string, long> Last24h);

/// <summary>Gathers <see cref="PlaysStatus"/> from the plays schedule and visibility.</summary>
internal static class PlaysStatusGatherer
{
    private const string ClosedRuns = $"WorkflowType = '{PlaysWorkflow.Name}' AND ExecutionStatus IN ('Completed', 'Failed', 'TimedOut', 'Terminated', 'Canceled')";

    public static async Task<PlaysStatus> GatherAsync(ITemporalClient client, string taskQueue, DateTime now, RpcOptions rpc)
    {
        ArgumentNullException.ThrowIfNull(client);
        var since = (now - TimeSpan.FromHours(24)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var schedule = StatusGatherer.ScheduleAsync(client, PlaysSchedule.Id(taskQueue), rpc);
        var last = LastRunAsync(client, taskQueue, rpc);
        var counts = PlayOutcomes.All.ToDictionary(o => o, o => CountAsync(client, OutcomeQuery(o, taskQueue, since), rpc));
        await Task.WhenAll([schedule, last, .. counts.Values]);
        var last24h = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (outcome, count) in counts)
        {
            last24h[outcome] = await count;
        }

        return new PlaysStatus(await schedule, await last, last24h);
    }

    /// <summary>The visibility query counting one outcome of the history rows of a task queue closed since <paramref name="since"/>.</summary>
    public static string OutcomeQuery(string outcome, string taskQueue, string since)
    {
        var rows = $"WorkflowType = '{RecordPlayWorkflow.Name}' AND TaskQueue = '{taskQueue.Replace("'", "", StringComparison.Ordinal)}' AND CloseTime > '{since}'";
        return outcome == PlayOutcomes.Failed
            ? $"{rows} AND ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated', 'Canceled')"
            : $"{rows} AND ExecutionStatus = 'Completed' AND {SearchAttributes.Outcome.Name} = '{outcome}'";
    }

    /// <summary>What needs a person's attention in the plays, each with what to do.</summary>
    public static IReadOnlyList<string> Warnings(PlaysStatus plays, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(plays);
        var warnings = new List<string>();
        var notRecorded = plays.Last24h.GetValueOrDefault(PlayOutcomes.Unmatched) + plays.Last24h.GetValueOrDefault(PlayOutcomes.Ambiguous) +
            plays.Last24h.GetValueOrDefault(PlayOutcomes.Failed);
        if (notRecorded > 0)
        {
            warnings.Add($"{notRecorded} Plex plays of the last 24 h did not reach Stash (no scene, several scenes, or failed): `plexsync failed --plays` lists them with the reason");
        }

        var limit = StatusWarnings.SuccessLimit(plays.Schedule);
        if (plays.Schedule is { Exists: true, Paused: false } && plays.LastRun is { } run && now - run.ClosedAt > limit)
        {
            warnings.Add($"no plays run has ended for more than {Configuration.GoDuration.Format(limit)}: check that a worker runs (`plexsync worker`)");
        }

        return warnings;
    }

    private static async Task<long> CountAsync(ITemporalClient client, string query, RpcOptions rpc) =>
        (await client.CountWorkflowsAsync(query, new WorkflowCountOptions { Rpc = rpc })).Count;

    private static async Task<PlaysRun?> LastRunAsync(ITemporalClient client, string taskQueue, RpcOptions rpc)
    {
        var query = $"{ClosedRuns} AND TaskQueue = '{taskQueue.Replace("'", "", StringComparison.Ordinal)}'";
        WorkflowExecution? last;
        try
        {
            last = await FirstAsync(client, query + " ORDER BY CloseTime DESC", rpc);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.InvalidArgument)
        {
            // SQL visibility (the dev server, PostgreSQL) does not sort on request; its own order is newest close first.
            last = await FirstAsync(client, query, rpc);
        }

        if (last is null)
        {
            return null;
        }

        var run = new PlaysRun(last.Id, last.CloseTime ?? last.StartTime, last.Status.ToString(), null, null);
        if (last.Status != WorkflowExecutionStatus.Completed)
        {
            return run;
        }

        var result = await client.GetWorkflowHandle(last.Id, last.RunId).GetResultAsync<PlaysResult>(followRuns: false, rpc);
        return run with { Progress = result.Progress, RecordedUpTo = DateTimeOffset.FromUnixTimeSeconds(result.Cursor.HighViewedAt).UtcDateTime };
    }

    private static async Task<WorkflowExecution?> FirstAsync(ITemporalClient client, string query, RpcOptions rpc)
    {
        await foreach (var execution in client.ListWorkflowsAsync(query, new WorkflowListOptions { Limit = 1, Rpc = rpc }))
        {
            return execution;
        }

        return null;
    }
}
