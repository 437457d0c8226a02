using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;

namespace PlexSync.Workflows;

/// <summary>Client-side starts of a scene's sync, shared by the hook, the CLI and the demo.</summary>
public static class SyncStarter
{
    /// <summary>The priority key of a sync a person is waiting for (hook, CLI, retry): served first.</summary>
    public const int InteractivePriority = 1;

    /// <summary>The priority key of a reconciliation's syncs: the server's default middle level, behind interactive ones.</summary>
    public const int BulkPriority = 3;

    /// <summary>
    /// Starts a scene's sync or, when one is already running, asks it for one more pass with fresh data
    /// (signal-with-start), so that every trigger of the same scene lands in the same workflow.
    /// </summary>
    public static Task<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> StartAsync(
        ITemporalClient client, string taskQueue, string sceneId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var options = Options(taskQueue, sceneId, reason);
        options.IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate;
        options.SignalWithStart((SceneSyncWorkflow wf) => wf.SceneChangedAsync(reason));
        options.Rpc = new RpcOptions { CancellationToken = cancellationToken };
        return client.StartWorkflowAsync((SceneSyncWorkflow wf) => wf.RunAsync(new SceneSyncInput(sceneId, reason)), options);
    }

    /// <summary>
    /// A sync's priority: a hook's sync must not wait behind a reconciliation's backlog on the
    /// rate-capped Plex queue. Its activities inherit it. Honoured by servers with the
    /// priority-enabled matcher (matching.useNewMatcher: default from 1.31, set by DevServer).
    /// </summary>
    public static Priority PriorityOf(string reason) =>
        new(priorityKey: reason == SyncReasons.Reconcile ? BulkPriority : InteractivePriority);

    /// <summary>The start options every client start of a scene's sync shares: its one ID, its search attribute, its Web UI summary and its priority.</summary>
    public static WorkflowOptions Options(string taskQueue, string sceneId, string reason) =>
        new(SceneSyncWorkflow.WorkflowId(sceneId), taskQueue)
        {
            Priority = PriorityOf(reason),
            TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                .Set(SearchAttributes.StashSceneId, sceneId)
                .ToSearchAttributeCollection(),
            StaticSummary = SceneSyncWorkflow.Summary(sceneId, reason),
        };
}
