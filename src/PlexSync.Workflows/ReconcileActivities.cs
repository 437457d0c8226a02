using Microsoft.Extensions.Logging;
using Temporalio.Activities;

namespace PlexSync.Workflows;

/// <summary>
/// The reconciliation's activity: compares one page of Stash scenes with their Plex items. Reading, matching and
/// comparing are the sync's own (<see cref="ScenePlanner"/>), so the two never disagree on which item a scene has.
/// </summary>
public sealed class ReconcileActivities(ScenePlanner planner, ReconcileMetrics metrics, ILogger<ReconcileActivities> logger)
{
    /// <summary>
    /// Reads one page of scenes and returns those whose Plex item differs from what a sync would write,
    /// each with its match. A scene that cannot be validated or matched also counts: its sync then fails
    /// visibly, with the reason. Plex is asked once per scene (the match) and once per page (the items,
    /// in one batched read); a difference seen in that batched read, which may be partial, only means
    /// "sync it", and the sync reads the item in full.
    /// </summary>
    [Activity(ActivityPolicies.CheckScenes)]
    public async Task<CheckScenesResult> CheckScenesAsync(CheckScenesInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ActivityExecutionContext.Current;
        var ct = context.CancellationToken;
        var read = await planner.ReadAsync(input, ct);
        var checkedCount = 0;
        var checks = await planner.CheckAsync(read.Scenes, () => context.Heartbeat(Interlocked.Increment(ref checkedCount)), ct);
        var differ = Differing(checks);
        logger.LogInformation(
            "Checked {Count} Stash scenes against Plex: {Differ} differ, {Missing} missing", read.Scenes.Count, differ.Count, read.Missing.Count);
        metrics.RecordPage(read.Scenes.Count - differ.Count, differ.Count);
        return new CheckScenesResult
        {
            Seen = read.Scenes.Count + read.Missing.Count,
            Differ = differ,
            Missing = read.Missing,
            Remaining = read.Remaining,
            Next = read.Next,
        };
    }

    // A scene that cannot be built or matched here differs: its sync says why, with retries where they help.
    // Those first, then the matched ones, each in page order, so that the syncs start in the order Stash listed the scenes.
    private static List<SceneToSync> Differing(IReadOnlyList<SceneCheck> checks)
    {
        var differ = checks.Where(c => c.Match is null).Select(c => new SceneToSync(c.Scene.Id, null)).ToList();
        foreach (var check in checks.Where(c => c.Match is not null && !c.InStep))
        {
            // No item: gone since the match (Plex re-scanned the file), and the sync matches again.
            differ.Add(new SceneToSync(check.State!.SceneId, check.Item is null ? null : new PlexMatch(check.Match!.Item.RatingKey, check.Match.Strategy)));
        }

        return differ;
    }
}
