using Temporalio.Workflows;

namespace PlexSync.Workflows;

/// <summary>Every workflow of PlexSync, as registered with workers and replayers.</summary>
public static class WorkflowDefinitions
{
    /// <summary>The definitions, each created with the worker's retry tuning.</summary>
    public static IReadOnlyList<WorkflowDefinition> All(RetryTuning tuning) =>
    [
        WorkflowDefinition.Create(typeof(SceneSyncWorkflow), SceneSyncWorkflow.Name, _ => new SceneSyncWorkflow(tuning)),
        WorkflowDefinition.Create(typeof(ReconcileWorkflow), ReconcileWorkflow.Name, _ => new ReconcileWorkflow(tuning)),
        WorkflowDefinition.Create(typeof(PlaysWorkflow), PlaysWorkflow.Name, _ => new PlaysWorkflow(tuning)),
        WorkflowDefinition.Create(typeof(RecordPlayWorkflow), RecordPlayWorkflow.Name, _ => new RecordPlayWorkflow(tuning)),
    ];
}
