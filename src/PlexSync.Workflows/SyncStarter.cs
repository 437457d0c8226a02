using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace PlexSync.Workflows;

/// <summary>Client-side starts of a scene's sync, shared by the hook, the CLI and the demo.</summary>
public static class SyncStarter
{
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

    /// <summary>The start options every client start of a scene's sync shares: its one ID, its search attribute and its Web UI summary.</summary>
    public static WorkflowOptions Options(string taskQueue, string sceneId, string reason) =>
        new(SceneSyncWorkflow.WorkflowId(sceneId), taskQueue)
        {
            TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                .Set(SearchAttributes.StashSceneId, sceneId)
                .ToSearchAttributeCollection(),
            StaticSummary = SceneSyncWorkflow.Summary(sceneId, reason),
        };
}
