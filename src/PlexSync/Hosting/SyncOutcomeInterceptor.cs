using PlexSync.Workflows;
using Temporalio.Exceptions;
using Temporalio.Worker.Interceptors;
using Temporalio.Workflows;

namespace PlexSync.Hosting;

/// <summary>
/// Counts each scene sync's and each history row's end, and notes each finished reconciliation, for the metrics, outside the workflow's code: it wraps the workflow's run
/// and records the result, or the failure's error type, unless the run is a replay (which would count it
/// twice). A run that continues as new has not ended.
/// </summary>
internal sealed class SyncOutcomeInterceptor(WorkerStatus status) : IWorkerInterceptor
{
    /// <summary>The error_type of a failure that is none of <see cref="ErrorTypes"/>: the label's values stay a fixed few.</summary>
    public const string OtherError = "Other";

    private static readonly HashSet<string> Known =
    [
        ErrorTypes.Unavailable, ErrorTypes.RateLimited, ErrorTypes.NotInPlexYet, ErrorTypes.PlexCircuitOpen, ErrorTypes.AuthFailed,
        ErrorTypes.InvalidScene, ErrorTypes.AmbiguousMatch, ErrorTypes.Rejected, ErrorTypes.ConfigError, ErrorTypes.PlexItemGone,
    ];

    public WorkflowInboundInterceptor InterceptWorkflow(WorkflowInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, status);

    /// <summary>The error_type label of a failed sync.</summary>
    public static string ErrorTypeOf(Exception failure) =>
        WorkflowFailures.ApplicationCause(failure)?.ErrorType is { } type && Known.Contains(type) ? type : OtherError;

    private sealed class Inbound(WorkflowInboundInterceptor next, WorkerStatus status) : WorkflowInboundInterceptor(next)
    {
        public override Task<object?> ExecuteWorkflowAsync(ExecuteWorkflowInput input) => Workflow.Info.WorkflowType switch
        {
            SceneSyncWorkflow.Name => SyncAsync(input),
            ReconcileWorkflow.Name => ReconcileAsync(input),
            RecordPlayWorkflow.Name => PlayAsync(input),
            _ => base.ExecuteWorkflowAsync(input),
        };

        private async Task<object?> SyncAsync(ExecuteWorkflowInput input)
        {
            object? result;
            try
            {
                result = await base.ExecuteWorkflowAsync(input);
            }
            catch (FailureException e) when (e is not CanceledFailureException)
            {
                // Only a FailureException fails the run; any other exception fails the task, which is retried.
                // A run cancelled from outside is "stopped" (as `plexsync status` counts it), not a failure.
                Record(Outcomes.Failed, ErrorTypeOf(e));
                throw;
            }

            Record((result as SceneSyncResult)?.Outcome ?? "", "");
            return result;
        }

        // A finished reconciliation is a success too: a library with nothing to change runs no sync.
        private async Task<object?> ReconcileAsync(ExecuteWorkflowInput input)
        {
            var done = await base.ExecuteWorkflowAsync(input);
            if (!Workflow.Unsafe.IsReplaying)
            {
                status.Succeeded();
            }

            return done;
        }

        // A history row's end, for plexsync_plays_total; recording plays is no sync, so it is no success of the write path.
        private async Task<object?> PlayAsync(ExecuteWorkflowInput input)
        {
            object? result;
            try
            {
                result = await base.ExecuteWorkflowAsync(input);
            }
            catch (FailureException e) when (e is not CanceledFailureException)
            {
                if (!Workflow.Unsafe.IsReplaying)
                {
                    status.PlayEnded(PlayOutcomes.Failed);
                }

                throw;
            }

            if (!Workflow.Unsafe.IsReplaying && result is RecordPlayResult play)
            {
                status.PlayEnded(play.Outcome);
            }

            return result;
        }

        private void Record(string outcome, string errorType)
        {
            if (!Workflow.Unsafe.IsReplaying)
            {
                status.SyncEnded(outcome, errorType);
            }
        }
    }
}
