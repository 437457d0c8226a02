using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace PlexSync.Workflows;

/// <summary>
/// Brings one Plex item in line with one Stash scene. A SceneChanged signal during a pass makes it run
/// one more pass with fresh Stash data afterwards, however many signals arrived, so bursts of edits
/// coalesce and the last edit wins.
/// </summary>
[Workflow(Name)]
public sealed class SceneSyncWorkflow
{
    public const string Name = "SceneSync";

    /// <summary>Bounds one run's history; further passes continue as new.</summary>
    public const int MaxPassesPerRun = 20;

    private const string IdPrefix = "scene-sync/";

    private const string LocalFailureOutcomePatch = "local-failure-outcome";

    private readonly IReadOnlyDictionary<string, ActivityPolicy> policies;
    private bool changed;
    private int pass;
    private string step = "";

    /// <summary>Initializes a new instance of the <see cref="SceneSyncWorkflow"/> class with the worker's retry tuning (values only, so the workflow stays deterministic).</summary>
    public SceneSyncWorkflow(RetryTuning tuning) => policies = ActivityPolicies.For(tuning);

    /// <summary>The one workflow ID a scene's sync has, so that triggers deduplicate.</summary>
    public static string WorkflowId(string sceneId) => IdPrefix + sceneId;

    /// <summary>The scene ID of a sync's workflow ID.</summary>
    public static string SceneIdOf(string workflowId) =>
        workflowId.StartsWith(IdPrefix, StringComparison.Ordinal) ? workflowId[IdPrefix.Length..] : workflowId;

    /// <summary>The one-line description of a sync in the Web UI.</summary>
    public static string Summary(string sceneId, string reason) => $"Sync Stash scene {sceneId} to Plex ({reason.Trim()})";

    [WorkflowRun]
    public async Task<SceneSyncResult> RunAsync(SceneSyncInput input)
    {
        Workflow.UpsertTypedSearchAttributes(SearchAttributes.StashSceneId.ValueSet(input.SceneId));
        var result = new SceneSyncResult { SceneId = input.SceneId };
        var match = input.Match;
        for (pass = 1; ; pass++)
        {
            changed = false;
            result = Merge(result, await RunPassAsync(input.SceneId, match) with { Passes = pass });

            // Later passes, and runs continued as new, match again: the edit that asked for them may have moved the file.
            match = null;
            if (!changed)
            {
                break;
            }

            Workflow.Logger.LogInformation("Scene {SceneId} changed during the sync; running again", input.SceneId);
            if (pass == MaxPassesPerRun)
            {
                var next = input with { Match = null };
                throw Workflow.CreateContinueAsNewException((SceneSyncWorkflow w) => w.RunAsync(next));
            }
        }

        Workflow.Logger.LogInformation(
            "Scene sync of {SceneId} finished: {Outcome}, Plex item {RatingKey}, changed {Changed}, {Passes} passes",
            input.SceneId, result.Outcome, result.RatingKey, result.Changed, result.Passes);
        foreach (var note in result.Notes)
        {
            Workflow.Logger.LogWarning("Scene sync of {SceneId}: {Note}", input.SceneId, note);
        }

        Workflow.CurrentDetails = Finished(result);
        Workflow.UpsertTypedSearchAttributes(
            result.RatingKey.Length > 0
                ? [SearchAttributes.Outcome.ValueSet(result.Outcome), SearchAttributes.PlexRatingKey.ValueSet(result.RatingKey)]
                : [SearchAttributes.Outcome.ValueSet(result.Outcome)]);
        return result;
    }

    /// <summary>Asks for one more pass with fresh data once the current one ends.</summary>
    [WorkflowSignal("SceneChanged")]
    public Task SceneChangedAsync(string reason)
    {
        changed = true;
        return Task.CompletedTask;
    }

    // Keeps the latest pass's result and notes, and every field any pass changed.
    private static SceneSyncResult Merge(SceneSyncResult previous, SceneSyncResult next)
    {
        var changedFields = next.Changed.Union(previous.Changed, StringComparer.Ordinal).ToList();
        return next with
        {
            Changed = changedFields,
            Outcome = changedFields.Count > 0 ? Outcomes.Synced : next.Outcome,
        };
    }

    private async Task<SceneSyncResult> RunPassAsync(string sceneId, PlexMatch? match)
    {
        try
        {
            return await PassAsync(sceneId, match);
        }
        catch (ActivityFailureException e)
        {
            Workflow.CurrentDetails = $"Failed in pass {pass}: {step}";
            Workflow.UpsertTypedSearchAttributes(SearchAttributes.Outcome.ValueSet(Outcomes.Failed));
            throw WorkflowFailures.FromActivity(e) ?? (Exception)e;
        }
        catch (ApplicationFailureException)
        {
            // A local activity's failure (fetch, validate) arrives unwrapped. Runs recorded before the patch
            // failed without recording the outcome.
            Workflow.CurrentDetails = $"Failed in pass {pass}: {step}";
            if (Workflow.Patched(LocalFailureOutcomePatch))
            {
                Workflow.UpsertTypedSearchAttributes(SearchAttributes.Outcome.ValueSet(Outcomes.Failed));
            }

            throw;
        }
    }

    private async Task<SceneSyncResult> PassAsync(string sceneId, PlexMatch? match)
    {
        var result = new SceneSyncResult { SceneId = sceneId };
        var fetched = await Local(ActivityPolicies.FetchScene, $"Read scene {sceneId} from Stash")
            .RunAsync((SyncActivities a) => a.FetchSceneAsync(sceneId));
        if (fetched.Scene is null)
        {
            return result with { Outcome = Outcomes.Skipped, SkipReason = "the scene no longer exists in Stash" };
        }

        var desired = await Local(ActivityPolicies.ValidateScene, $"Check and clean scene {sceneId}")
            .RunAsync((SyncActivities a) => a.ValidateScene(fetched.Scene));
        for (var attempt = 1; ; attempt++)
        {
            if (match is null)
            {
                var found = await Remote(ActivityPolicies.MatchPlexItem, $"Find the Plex item for scene {sceneId}")
                    .RunAsync((SyncActivities a) => a.MatchPlexItemAsync(desired.Files));
                match = new PlexMatch(found.Item.RatingKey, found.Strategy);
            }

            result = result with { RatingKey = match.RatingKey, Strategy = match.Strategy };
            try
            {
                var applied = await Remote(ActivityPolicies.ApplyMetadata, $"Write scene {sceneId} to Plex item {match.RatingKey}")
                    .RunAsync((SyncActivities a) => a.ApplyMetadataAsync(new ApplyInput(match.RatingKey, desired)));
                return result with
                {
                    Changed = applied.Changed,
                    Notes = applied.Notes,
                    Outcome = applied.Changed.Count > 0 ? Outcomes.Synced : Outcomes.Unchanged,
                };
            }
            catch (ActivityFailureException e) when (attempt == 1 && IsType(e, ErrorTypes.PlexItemGone))
            {
                // Plex gives an item a new ratingKey when it re-scans the file: match once more.
                match = null;
            }
        }
    }

    private static bool IsType(ActivityFailureException e, string type) => WorkflowFailures.ApplicationCause(e)?.ErrorType == type;

    // The Web UI's "Current Details" of a finished sync: its outcome in words, and what Plex refused.
    private static string Finished(SceneSyncResult result) =>
        $"Done: {result.Outcome} after {result.Passes} pass{(result.Passes == 1 ? "" : "es")}" +
        (result.Changed.Count > 0 ? $", changed {string.Join(", ", result.Changed)}" : "") +
        string.Concat(result.Notes.Select(note => $". {note}"));

    private ActivityRunner Local(string name, string summary) => new(policies[name].LocalOptions(Show(summary)), null);

    private ActivityRunner Remote(string name, string summary) => new(null, policies[name].Options(Show(summary), Workflow.Info.TaskQueue));

    // Shows the step a sync is at as its current details, live in the Web UI: metadata served by a query,
    // not a command, so replay of recorded histories is unaffected.
    private string Show(string next)
    {
        step = next;
        Workflow.CurrentDetails = $"Pass {pass}: {step}";
        return step;
    }

    // Runs one activity with its options from the table, locally or through the server.
    private sealed class ActivityRunner(LocalActivityOptions? local, ActivityOptions? remote)
    {
        public Task<T> RunAsync<T>(System.Linq.Expressions.Expression<Func<SyncActivities, Task<T>>> call) =>
            local is not null ? Workflow.ExecuteLocalActivityAsync(call, local) : Workflow.ExecuteActivityAsync(call, remote!);

        public Task<T> RunAsync<T>(System.Linq.Expressions.Expression<Func<SyncActivities, T>> call) =>
            local is not null ? Workflow.ExecuteLocalActivityAsync(call, local) : Workflow.ExecuteActivityAsync(call, remote!);
    }
}
