using System.Globalization;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>A history row that did not reach Stash: when it was played, its Plex item, its scene if any, what happened and why.</summary>
internal sealed record FailedPlay(string WorkflowId, string RunId, long ViewedAt, string RatingKey, string SceneId, string Outcome, string Reason, DateTime At);

/// <summary>
/// Finds the history rows whose latest RecordPlay run did not record a play: failed (failed, timed out, terminated,
/// cancelled), or completed as unmatched or ambiguous. What `plexsync failed --plays` lists and `retry --plays` runs again.
/// </summary>
internal static class FailedPlays
{
    /// <summary>The visibility query of the runs that did not record their play (latest or not).</summary>
    public const string CandidatesQuery =
        $"WorkflowType = '{RecordPlayWorkflow.Name}' AND (ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated', 'Canceled') OR " +
        $"PlexSyncOutcome IN ('{PlayOutcomes.Unmatched}', '{PlayOutcomes.Ambiguous}'))";

    public static async Task<IReadOnlyList<FailedPlay>> FindAsync(ITemporalClient client, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var ids = new List<string>();
        await foreach (var execution in client.ListWorkflowsAsync(CandidatesQuery, new WorkflowListOptions { Rpc = rpc }))
        {
            if (!ids.Contains(execution.Id, StringComparer.Ordinal))
            {
                ids.Add(execution.Id);
            }
        }

        var found = new List<FailedPlay>();
        foreach (var id in ids)
        {
            if (await LatestAsync(client, id, rpc) is { } play)
            {
                found.Add(play);
            }
        }

        return [.. found.OrderByDescending(p => p.ViewedAt).ThenBy(p => p.WorkflowId, StringComparer.Ordinal).Take(limit)];
    }

    /// <summary>The play time a RecordPlay workflow ID ends with (play/server/historyId-viewedAt).</summary>
    public static long ViewedAtOf(string workflowId)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        var dash = workflowId.LastIndexOf('-');
        return dash >= 0 && long.TryParse(workflowId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var at) ? at : 0;
    }

    // The row's latest run, when it did not record the play; null when it did, or runs.
    private static async Task<FailedPlay?> LatestAsync(ITemporalClient client, string id, RpcOptions rpc)
    {
        var handle = client.GetWorkflowHandle(id);
        var latest = await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
        var ratingKey = latest.TypedSearchAttributes.TryGetValue(SearchAttributes.PlexRatingKey, out var rk) ? rk : "";
        var sceneId = latest.TypedSearchAttributes.TryGetValue(SearchAttributes.StashSceneId, out var scene) ? scene : "";
        var at = latest.CloseTime ?? latest.StartTime;
        var play = new FailedPlay(id, latest.RunId, ViewedAtOf(id), ratingKey, sceneId, "", "", at);
        if (FailedSyncs.FailedStatuses.Contains(latest.Status))
        {
            try
            {
                await client.GetWorkflowHandle(id, latest.RunId).GetResultAsync<RecordPlayResult>(followRuns: false, rpc);
            }
            catch (Exception e) when (e is WorkflowFailedException or FailureException)
            {
                var cause = FailureCause.Of(e);
                return play with { Outcome = PlayOutcomes.Failed + ": " + cause.ErrorType, Reason = cause.Message };
            }
        }

        if (latest.Status != WorkflowExecutionStatus.Completed)
        {
            return null;
        }

        var result = await client.GetWorkflowHandle(id, latest.RunId).GetResultAsync<RecordPlayResult>(followRuns: false, rpc);
        return result.Outcome is PlayOutcomes.Unmatched or PlayOutcomes.Ambiguous ? play with { Outcome = result.Outcome, Reason = result.Reason } : null;
    }
}
