using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>
/// Runs a history row's RecordPlay again (after a mapping or a file was fixed, or Stash is back): its input is read from
/// the latest run's history and matched again. Safe by construction: the new run counts Stash's plays at that second
/// first, so a play an earlier run added (or whose lost answer Stash applied) is not added again.
/// </summary>
internal static class PlayRetrier
{
    public static async Task<RetryResult> RetryAsync(ITemporalClient client, string taskQueue, FailedPlay play, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(play);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var history = await client.GetWorkflowHandle(play.WorkflowId, play.RunId).FetchHistoryAsync(new WorkflowHistoryEventFetchOptions { Rpc = rpc });
        var started = history.Events.First().WorkflowExecutionStartedEventAttributes;
        var given = await client.Options.DataConverter.ToValueAsync<RecordPlayInput>(started.Input.Payloads_[0]);
        var input = given with { Row = given.Row with { Match = null, Problem = null }, Reason = SyncReasons.Retry };
        var options = new WorkflowOptions(play.WorkflowId, taskQueue)
        {
            // Not after a run that recorded the play: the latest was read a moment ago, and a run that started since is refused.
            IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate,
            IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
            StaticSummary = RecordPlayWorkflow.Summary(input.Row),
            Rpc = rpc,
        };
        try
        {
            var handle = await client.StartWorkflowAsync((RecordPlayWorkflow wf) => wf.RunAsync(input), options);
            return new RetryResult(play.WorkflowId, RetryActions.Started, handle.ResultRunId, $"play {play.WorkflowId}: retry started (run {handle.ResultRunId})");
        }
        catch (WorkflowAlreadyStartedException)
        {
            return new RetryResult(play.WorkflowId, RetryActions.Running, null, $"play {play.WorkflowId}: it runs again already; nothing to retry");
        }
    }
}
