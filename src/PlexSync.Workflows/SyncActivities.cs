using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using PlexSync.Domain;
using Temporalio.Activities;

namespace PlexSync.Workflows;

/// <summary>
/// The scene sync's activities. Their clients, and so the credentials, live in the worker and never
/// in a payload. Created per call by the worker's DI scope; their failures are classified by
/// <see cref="ActivityFailureInterceptor"/>.
/// </summary>
public sealed class SyncActivities(IStashClient stash, IPlexClient plex, ScenePlanner planner, ILogger<SyncActivities> logger)
{
    private static CancellationToken Cancellation => ActivityExecutionContext.Current.CancellationToken;

    /// <summary>Reads one scene from Stash; a deleted scene gives <c>Scene = null</c>.</summary>
    [Activity(ActivityPolicies.FetchScene)]
    public async Task<FetchResult> FetchSceneAsync(string sceneId) => new(await stash.FindSceneAsync(sceneId, Cancellation));

    /// <summary>Sanitises a scene into the Plex state it should have.</summary>
    [Activity(ActivityPolicies.ValidateScene)]
    public DesiredState ValidateScene(Scene scene) => DesiredStateBuilder.Build(scene, planner.Settings.Scene);

    /// <summary>Finds the Plex item that holds the scene's file.</summary>
    [Activity(ActivityPolicies.MatchPlexItem)]
    public Task<MatchResult> MatchPlexItemAsync(IReadOnlyList<string> files) => planner.MatchAsync(files, Cancellation);

    /// <summary>
    /// Writes only what differs: the poster, then the metadata edit with every changed field locked (one
    /// PUT unless it is too long for one request), then the rating. Re-running it is safe: a second run
    /// finds nothing to change. A field Plex refuses for its length is named in the result's notes.
    /// </summary>
    [Activity(ActivityPolicies.ApplyMetadata)]
    public async Task<ApplyResult> ApplyMetadataAsync(ApplyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ct = Cancellation;
        var plan = await planner.PlanAsync(input.RatingKey, input.Desired, ct);
        var notes = await WriteAsync(input.RatingKey, plan, ct);
        planner.Remember(input.RatingKey, plan);
        var changed = plan.Changes.Names().ToList();
        if (plan.Poster is not null)
        {
            changed.Add("poster");
            changed.Sort(StringComparer.Ordinal);
        }

        foreach (var note in notes)
        {
            logger.LogWarning("Plex item {RatingKey} of scene {SceneId}: {Note}", input.RatingKey, input.Desired.SceneId, note);
        }

        logger.LogInformation("Applied metadata of scene {SceneId} to Plex item {RatingKey}: {Changed}", input.Desired.SceneId, input.RatingKey, changed);
        return new ApplyResult(changed) { Notes = notes };
    }

    private async Task<IReadOnlyList<string>> WriteAsync(string ratingKey, WritePlan plan, CancellationToken ct)
    {
        if (plan.Poster is { Upload: true })
        {
            await plex.UploadPosterAsync(ratingKey, plan.Poster.Image, ct);
        }
        else if (plan.Poster is not null)
        {
            await plex.SelectPosterAsync(ratingKey, plan.Poster.Key, ct);
        }

        var notes = await plex.EditAsync(plan.SectionKey, ratingKey, plan.Changes, ct);
        if (plan.Changes.Rating is { } rating)
        {
            await plex.RateAsync(ratingKey, rating, ct);
        }

        return notes;
    }
}
