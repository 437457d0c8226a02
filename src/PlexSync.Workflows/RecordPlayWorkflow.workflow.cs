using System.Globalization;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace PlexSync.Workflows;

/// <summary>
/// Records one row of Plex's watch history as one Stash play at its time. Its workflow ID names the Plex server and the
/// row, so a second start for the same row (a schedule firing twice, overlapping runs) is refused by Temporal. It counts
/// the scene's plays at that second first (kept in its history), then adds the play only while Stash has fewer than that
/// count plus this row, so a lost answer or a crash between writing and recording never adds it twice; when the add was
/// retried, it checks again after a while and removes a double that a late first request made. A row without a scene
/// ends with the outcome unmatched or ambiguous and the reason: a result, not a failure.
/// </summary>
[Workflow(Name)]
public sealed class RecordPlayWorkflow
{
    public const string Name = "RecordPlay";

    private const string IdPrefix = "play/";

    private readonly RetryTuning tuning;
    private readonly IReadOnlyDictionary<string, ActivityPolicy> policies;
    private string step = "";

    /// <summary>Initializes a new instance of the <see cref="RecordPlayWorkflow"/> class with the worker's retry tuning (values only, so the workflow stays deterministic).</summary>
    public RecordPlayWorkflow(RetryTuning tuning)
    {
        this.tuning = tuning;
        policies = ActivityPolicies.For(tuning);
    }

    /// <summary>The one workflow ID a history row has: its server and row ID, and its time, should a restored Plex database reuse an ID.</summary>
    public static string WorkflowId(string server, long historyId, long viewedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{IdPrefix}{server}/{historyId}-{viewedAt}");

    /// <summary>The one-line description of a row's workflow in the Web UI: the scene (or the Plex item) and the time.</summary>
    public static string Summary(PlayRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var what = row.Match is { } m ? $"Stash scene {m.SceneId}" : row.RatingKey.Length > 0 ? $"Plex item {row.RatingKey} (no Stash scene)" : "a deleted Plex item";
        return string.Create(CultureInfo.InvariantCulture, $"Plex play of {what} at {PlayTimes.Show(row.ViewedAt)} (history {row.HistoryId}, account {row.AccountId})");
    }

    [WorkflowRun]
    public async Task<RecordPlayResult> RunAsync(RecordPlayInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var row = input.Row;
        if (row.RatingKey.Length > 0)
        {
            Workflow.UpsertTypedSearchAttributes(SearchAttributes.PlexRatingKey.ValueSet(row.RatingKey));
        }

        try
        {
            return await RecordAsync(input, row);
        }
        catch (ActivityFailureException e)
        {
            Failed();
            throw WorkflowFailures.FromActivity(e) ?? (Exception)e;
        }
        catch (ApplicationFailureException)
        {
            // A local activity's failure arrives unwrapped.
            Failed();
            throw;
        }
    }

    private async Task<RecordPlayResult> RecordAsync(RecordPlayInput input, PlayRow row)
    {
        if (row.Match is null && row.Problem is null)
        {
            var which = row;
            row = await Workflow.ExecuteActivityAsync(
                (PlaysActivities a) => a.MatchPlayAsync(which),
                Remote(ActivityPolicies.MatchPlay, $"Find the Stash scene of Plex item {row.RatingKey}"));
        }

        if (row.Problem is { } problem || row.Match is null)
        {
            var (outcome, why) = row.Problem is { } p ? (p.Outcome, p.Reason) : (PlayOutcomes.Unmatched, "no match");
            return Finish(new RecordPlayResult(outcome, "", row.ViewedAt, 0, 0, 0, why));
        }

        var scene = row.Match.SceneId;
        Workflow.UpsertTypedSearchAttributes(SearchAttributes.StashSceneId.ValueSet(scene));
        var at = PlayTimes.Show(row.ViewedAt);
        var before = await Workflow.ExecuteLocalActivityAsync(
            (RecordPlayActivities a) => a.ReadScenePlaysAsync(new ScenePlaysInput(scene, row.ViewedAt)),
            policies[ActivityPolicies.ReadScenePlays].LocalOptions(Show($"Count the plays of Stash scene {scene} at {at}")));
        if (!before.Exists)
        {
            return Finish(new RecordPlayResult(PlayOutcomes.Unmatched, scene, row.ViewedAt, 0, 0, 0, $"Stash scene {scene} no longer exists"));
        }

        var add = new AddPlayInput(scene, row.ViewedAt, input.Ordinal, before.At);
        var added = await Workflow.ExecuteActivityAsync(
            (RecordPlayActivities a) => a.AddPlayAsync(add), Remote(ActivityPolicies.AddPlay, $"Add the play at {at} to Stash scene {scene}"));
        var (count, repaired) = (added.PlayCount, added.Repaired);
        if (added.Attempt > 1)
        {
            // An abandoned attempt's request may still reach Stash; by one attempt's limit later it has, or never will.
            Show($"Wait {tuning.ActivityTimeout} for a late add, then check Stash scene {scene} at {at} for a double");
            await Workflow.DelayAsync(tuning.ActivityTimeout);
            var verified = await Workflow.ExecuteActivityAsync(
                (RecordPlayActivities a) => a.VerifyPlayAsync(add), Remote(ActivityPolicies.VerifyPlay, $"Check Stash scene {scene} at {at} for a double"));
            (count, repaired) = (verified.PlayCount, repaired + verified.Repaired);
        }

        var reason = added.Outcome == PlayOutcomes.Unmatched ? $"Stash scene {scene} no longer exists" : "";
        return Finish(new RecordPlayResult(added.Outcome, scene, row.ViewedAt, before.At, count, repaired, reason));
    }

    private static RecordPlayResult Finish(RecordPlayResult result)
    {
        var at = PlayTimes.Show(result.ViewedAt);
        Workflow.CurrentDetails = result.Outcome switch
        {
            PlayOutcomes.Added => $"Done: added to Stash scene {result.SceneId} at {at} (play count {result.PlayCount}" +
                (result.Repaired > 0 ? $"; {result.Repaired} double removed)" : ")"),
            PlayOutcomes.AlreadyPresent => $"Done: Stash scene {result.SceneId} already had the play at {at} (play count {result.PlayCount})",
            var outcome => $"{char.ToUpperInvariant(outcome[0])}{outcome[1..]}: {result.Reason}",
        };
        Workflow.UpsertTypedSearchAttributes(SearchAttributes.Outcome.ValueSet(result.Outcome));
        Workflow.Logger.LogInformation("Play at {At}: {Outcome} {SceneId} {Reason}", at, result.Outcome, result.SceneId, result.Reason);
        return result;
    }

    private void Failed()
    {
        Workflow.CurrentDetails = $"Failed: {step}";
        Workflow.UpsertTypedSearchAttributes(SearchAttributes.Outcome.ValueSet(PlayOutcomes.Failed));
    }

    private ActivityOptions Remote(string name, string summary) => policies[name].Options(Show(summary), Workflow.Info.TaskQueue);

    // The step as the run's current details, live in the Web UI.
    private string Show(string next)
    {
        step = next;
        Workflow.CurrentDetails = next;
        return next;
    }
}
