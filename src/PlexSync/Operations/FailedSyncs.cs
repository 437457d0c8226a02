using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace PlexSync.Operations;

/// <summary>One run of a scene's sync, as visibility lists it.</summary>
internal sealed record SyncRun(string SceneId, string WorkflowId, string RunId, WorkflowExecutionStatus Status, DateTime StartTime, DateTime? CloseTime)
{
    public static SyncRun From(WorkflowExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var sceneId = execution.TypedSearchAttributes.TryGetValue(SearchAttributes.StashSceneId, out var id) && id.Length > 0
            ? id
            : SceneSyncWorkflow.SceneIdOf(execution.Id);
        return new(sceneId, execution.Id, execution.RunId, execution.Status, execution.StartTime, execution.CloseTime);
    }
}

/// <summary>A scene whose latest sync failed, with the root cause read from that run.</summary>
internal sealed record FailedSync(string SceneId, string WorkflowId, string RunId, string ErrorType, string Message, DateTime FailedAt)
{
    public string Hint => FailureHints.For(ErrorType);
}

/// <summary>Finds the scenes whose latest sync failed: what `plexsync failed` lists and `retry --all-failed` re-runs.</summary>
internal static class FailedSyncs
{
    /// <summary>The default bound of `plexsync failed`.</summary>
    public const int DefaultLimit = 200;

    // How many scene IDs one visibility query names: keeps the query text short for every store.
    private const int ScenesPerQuery = 100;

    /// <summary>
    /// The statuses that count as failed: exactly those after which WorkflowIdReusePolicy
    /// AllowDuplicateFailedOnly lets `retry` start the scene's sync again, so `failed` and `retry` agree.
    /// </summary>
    public static readonly IReadOnlySet<WorkflowExecutionStatus> FailedStatuses = new HashSet<WorkflowExecutionStatus>
    {
        WorkflowExecutionStatus.Failed,
        WorkflowExecutionStatus.TimedOut,
        WorkflowExecutionStatus.Terminated,
        WorkflowExecutionStatus.Canceled,
    };

    /// <summary>The visibility query of failed sync runs (of any scene, latest or not).</summary>
    public const string FailedRunsQuery =
        $"WorkflowType = '{SceneSyncWorkflow.Name}' AND ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated', 'Canceled')";

    /// <summary>
    /// Groups runs by scene and keeps the scenes whose newest run (by start time; a running run is newer
    /// than any closed one started at the same time) failed, newest failure first. A scene whose later
    /// sync succeeded or is running is not listed.
    /// </summary>
    public static IReadOnlyList<SyncRun> LatestFailed(IEnumerable<SyncRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. runs
            .GroupBy(r => r.SceneId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(r => r.StartTime).ThenByDescending(r => r.CloseTime ?? DateTime.MaxValue).First())
            .Where(r => FailedStatuses.Contains(r.Status))
            .OrderByDescending(r => r.CloseTime ?? r.StartTime)
            .ThenBy(r => long.TryParse(r.SceneId, out var n) ? n : long.MaxValue)];
    }

    /// <summary>
    /// The scenes whose latest sync failed, at most <paramref name="limit"/>, each with the root cause read
    /// from its failed run. Failed runs name the candidate scenes; every run of those scenes then decides
    /// which failed last, so a failure followed by a success is not listed.
    /// </summary>
    public static async Task<IReadOnlyList<FailedSync>> FindAsync(ITemporalClient client, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var candidates = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var execution in client.ListWorkflowsAsync(FailedRunsQuery, ListOptions(cancellationToken)))
        {
            var run = SyncRun.From(execution);
            if (seen.Add(run.SceneId))
            {
                candidates.Add(run.SceneId);
            }
        }

        var runs = new List<SyncRun>();
        foreach (var chunk in candidates.Chunk(ScenesPerQuery))
        {
            var ids = string.Join(", ", chunk.Select(id => $"'{id.Replace("'", "", StringComparison.Ordinal)}'"));
            var query = $"WorkflowType = '{SceneSyncWorkflow.Name}' AND {SearchAttributes.StashSceneId.Name} IN ({ids})";
            await foreach (var execution in client.ListWorkflowsAsync(query, ListOptions(cancellationToken)))
            {
                runs.Add(SyncRun.From(execution));
            }
        }

        var latest = LatestFailed(runs).Take(limit).ToList();
        return await Task.WhenAll(latest.Select(r => ReadCauseAsync(client, r, cancellationToken)));
    }

    // The failed run's own result: the SDK reads its close event and converts the failure (decoding
    // payloads as the client's data converter does), and the cause chain gives the root cause.
    private static async Task<FailedSync> ReadCauseAsync(ITemporalClient client, SyncRun run, CancellationToken cancellationToken)
    {
        var cause = new FailureCause(run.Status.ToString(), "-");
        try
        {
            await client.GetWorkflowHandle(run.WorkflowId, run.RunId)
                .GetResultAsync<SceneSyncResult>(followRuns: false, new RpcOptions { CancellationToken = cancellationToken });
        }
        catch (Exception e) when (e is Temporalio.Exceptions.WorkflowFailedException or Temporalio.Exceptions.FailureException)
        {
            cause = FailureCause.Of(e);
        }

        return new(run.SceneId, run.WorkflowId, run.RunId, cause.ErrorType, cause.Message, run.CloseTime ?? run.StartTime);
    }

    private static WorkflowListOptions ListOptions(CancellationToken cancellationToken) =>
        new() { Rpc = new RpcOptions { CancellationToken = cancellationToken } };
}
