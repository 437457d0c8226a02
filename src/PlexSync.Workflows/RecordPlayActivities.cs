using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using Temporalio.Activities;

namespace PlexSync.Workflows;

/// <summary>
/// The Stash side of recording one play exactly once. Stash inserts a row for every time it is given, the same time
/// twice included, so the count at the play's second decides: ReadScenePlays counts it before anything is written (its
/// result is kept in the workflow's history, so it is never read again); AddPlay adds the play only while Stash has fewer
/// than that count plus this row, reading again on every attempt, so an attempt whose answer was lost after Stash applied
/// it is not repeated; VerifyPlay removes a double that a retried add's late first request made.
/// </summary>
public sealed class RecordPlayActivities(IStashClient stash, ILogger<RecordPlayActivities> logger)
{
    /// <summary>Counts a scene's plays at one second, and in all, before the row is recorded.</summary>
    [Activity(ActivityPolicies.ReadScenePlays)]
    public async Task<ScenePlaysAt> ReadScenePlaysAsync(ScenePlaysInput input)
    {
        var ct = ActivityExecutionContext.Current.CancellationToken;
        ArgumentNullException.ThrowIfNull(input);
        var plays = await stash.ScenePlaysAsync(input.SceneId, ct);
        return plays is null ? new ScenePlaysAt(false, 0, 0) : new ScenePlaysAt(true, plays.At(input.ViewedAt), plays.PlayCount);
    }

    /// <summary>Adds the play unless Stash has it; on a retried attempt, also removes a double of it.</summary>
    [Activity(ActivityPolicies.AddPlay)]
    public async Task<AddPlayResult> AddPlayAsync(AddPlayInput input)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        var ct = ActivityExecutionContext.Current.CancellationToken;
        ArgumentNullException.ThrowIfNull(input);
        if (await stash.ScenePlaysAsync(input.SceneId, ct) is not { } plays)
        {
            return new AddPlayResult(PlayOutcomes.Unmatched, 0, attempt, 0);
        }

        var have = plays.At(input.ViewedAt);
        var count = plays.PlayCount;
        if (input.Owed && have < input.Expected)
        {
            count = (await stash.AddPlayAsync(input.SceneId, DateTimeOffset.FromUnixTimeSeconds(input.ViewedAt), ct)).Count;
            logger.LogInformation("Added a play at {At} to Stash scene {SceneId}", PlayTimes.Show(input.ViewedAt), input.SceneId);
        }

        var (repaired, after) = attempt > 1 ? await RepairAsync(input, have, count, ct) : (0, count);
        return new AddPlayResult(input.Owed ? PlayOutcomes.Added : PlayOutcomes.AlreadyPresent, after, attempt, repaired);
    }

    /// <summary>
    /// After a retried add: removes the plays at that second beyond what Stash had before plus this row. Those are
    /// ours: an earlier attempt's request that Stash applied after the attempt had given up on it.
    /// </summary>
    [Activity(ActivityPolicies.VerifyPlay)]
    public async Task<AddPlayResult> VerifyPlayAsync(AddPlayInput input)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        var ct = ActivityExecutionContext.Current.CancellationToken;
        ArgumentNullException.ThrowIfNull(input);
        if (await stash.ScenePlaysAsync(input.SceneId, ct) is not { } plays)
        {
            return new AddPlayResult(PlayOutcomes.Unmatched, 0, attempt, 0);
        }

        var (repaired, count) = await RepairAsync(input, plays.At(input.ViewedAt), plays.PlayCount, ct);
        return new AddPlayResult(input.Owed ? PlayOutcomes.Added : PlayOutcomes.AlreadyPresent, count, attempt, repaired);
    }

    // Rows at one second are alike, so which copy goes does not matter; sceneDeletePlay removes one per time given.
    private async Task<(int Repaired, int Count)> RepairAsync(AddPlayInput input, int have, int count, CancellationToken ct)
    {
        var surplus = have - input.Expected;
        if (surplus <= 0)
        {
            return (0, count);
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(input.ViewedAt);
        var after = await stash.DeletePlaysAsync(input.SceneId, [.. Enumerable.Repeat(at, surplus)], ct);
        logger.LogWarning(
            "Removed {Surplus} double play(s) at {At} from Stash scene {SceneId}: a retried add's first request was applied late",
            surplus, PlayTimes.Show(input.ViewedAt), input.SceneId);
        return (surplus, after.Count);
    }

}
