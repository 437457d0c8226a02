using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>What `retry` did for one scene.</summary>
internal static class RetryActions
{
    public const string Started = "started";
    public const string Succeeded = "succeeded";
    public const string Running = "running";
    public const string NeverSynced = "never-synced";
}

/// <summary>What `retry` did for one scene, and the line it prints.</summary>
internal sealed record RetryResult(string SceneId, string Action, string? RunId, string Message);

/// <summary>Starts a failed scene sync again, and never one whose latest run succeeded or runs.</summary>
internal static class SyncRetrier
{
    /// <summary>
    /// Starts the scene's sync again if its latest run failed (failed, timed out, terminated or cancelled).
    /// The latest run is read first, to say why nothing starts; the start itself is guarded by the server:
    /// WorkflowIdReusePolicy AllowDuplicateFailedOnly refuses after a success, conflict policy Fail refuses
    /// while one runs, so a sync that succeeds or starts between the two is never re-run either.
    /// </summary>
    public static async Task<(RetryResult Result, WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>? Handle)> RetryAsync(
        ITemporalClient client, string taskQueue, string sceneId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var workflowId = SceneSyncWorkflow.WorkflowId(sceneId);
        try
        {
            var latest = await client.GetWorkflowHandle(workflowId).DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
            if (Refusal(sceneId, latest.Status) is { } refusal)
            {
                return (refusal, null);
            }
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return (new(sceneId, RetryActions.NeverSynced, null,
                $"scene {sceneId}: no sync of it found (none ran, or its runs are past retention); start one with `plexsync sync --scene {sceneId}`"), null);
        }

        // The same ID, search attribute and summary as every other start of a scene's sync.
        var options = SyncStarter.Options(taskQueue, sceneId, SyncReasons.Retry);
        options.IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicateFailedOnly;
        options.IdConflictPolicy = WorkflowIdConflictPolicy.Fail;
        options.Rpc = rpc;
        try
        {
            var handle = await client.StartWorkflowAsync((SceneSyncWorkflow wf) => wf.RunAsync(new SceneSyncInput(sceneId, SyncReasons.Retry)), options);
            return (new(sceneId, RetryActions.Started, handle.ResultRunId, $"scene {sceneId}: retry started (run {handle.ResultRunId})"), handle);
        }
        catch (WorkflowAlreadyStartedException)
        {
            return (new(sceneId, RetryActions.Running, null,
                $"scene {sceneId}: its sync succeeded or started again meanwhile; nothing to retry"), null);
        }
    }

    /// <summary>Why a scene whose latest run has <paramref name="status"/> is not retried, or null when it failed.</summary>
    public static RetryResult? Refusal(string sceneId, WorkflowExecutionStatus status) => status switch
    {
        _ when FailedSyncs.FailedStatuses.Contains(status) => null,
        WorkflowExecutionStatus.Completed => new(sceneId, RetryActions.Succeeded, null, $"scene {sceneId}: its last sync succeeded; nothing to retry"),

        // Running, or the instant between a run continuing as new and its next run.
        _ => new(sceneId, RetryActions.Running, null, $"scene {sceneId}: its sync is running; nothing to retry (`plexsync status` shows what it waits for)"),
    };
}
