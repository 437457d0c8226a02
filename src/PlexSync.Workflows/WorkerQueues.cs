using Temporalio.Worker;

namespace PlexSync.Workflows;

/// <summary>
/// What the two workers of a worker process run, for the worker host and the tests alike: on the task queue every
/// workflow (and the activities run there), on its Plex queue the Plex-bound activities. Both classify their
/// activities' failures innermost, after the interceptors the options have. Capacity and identity are the caller's.
/// </summary>
public static class WorkerQueues
{
    /// <summary>The task queue's worker: every workflow, with several pollers to keep a reconciliation's many short workflow tasks flowing.</summary>
    public static TemporalWorkerOptions Main(TemporalWorkerOptions options, RetryTuning tuning)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var definition in WorkflowDefinitions.All(tuning))
        {
            options.AddWorkflow(definition);
        }

        options.MaxConcurrentWorkflowTaskPolls = 4;
        return ActivityFailureInterceptor.AddTo(options, tuning);
    }

    /// <summary>The Plex queue's worker: activities only.</summary>
    public static TemporalWorkerOptions Plex(TemporalWorkerOptions options, RetryTuning tuning) => ActivityFailureInterceptor.AddTo(options, tuning);
}
