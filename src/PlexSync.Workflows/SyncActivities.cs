using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using PlexSync.Domain;
using Temporalio.Activities;

namespace PlexSync.Workflows;

/// <summary>
/// The scene sync's activities. Their clients, and so the credentials, live in the worker and never
/// in a payload. Created per call by the worker's DI scope.
/// </summary>
public sealed class SyncActivities(
    IStashClient stash,
    IPlexClient plex,
    SyncSettings settings,
    PlexSectionCache sections,
    PosterMemory posters,
    ILogger<SyncActivities> logger)
{
    private readonly IReadOnlyDictionary<string, ActivityPolicy> policies = ActivityPolicies.For(settings.Tuning);

    /// <summary>Reads one scene from Stash; a deleted scene gives <c>Scene = null</c>.</summary>
    [Activity(ActivityPolicies.FetchScene)]
    public Task<FetchResult> FetchSceneAsync(string sceneId) =>
        RunAsync(ActivityPolicies.FetchScene, async ct => new FetchResult(await stash.FindSceneAsync(sceneId, ct)));

    /// <summary>Sanitises a scene into the Plex state it should have.</summary>
    [Activity(ActivityPolicies.ValidateScene)]
    public DesiredState ValidateScene(Scene scene) =>
        Classified(ActivityPolicies.ValidateScene, () => DesiredStateBuilder.Build(scene, settings.Scene));

    /// <summary>Finds the Plex item that holds the scene's file.</summary>
    [Activity(ActivityPolicies.MatchPlexItem)]
    public Task<MatchResult> MatchPlexItemAsync(IReadOnlyList<string> files) =>
        RunAsync(ActivityPolicies.MatchPlexItem, ct => MatchAsync(files, ct));

    /// <summary>
    /// Writes only what differs: the poster, then the metadata edit with every changed field locked (one
    /// PUT unless it is too long for one request), then the rating. Re-running it is safe: a second run
    /// finds nothing to change. A field Plex refuses for its length is named in the result's notes.
    /// </summary>
    [Activity(ActivityPolicies.ApplyMetadata)]
    public Task<ApplyResult> ApplyMetadataAsync(ApplyInput input) =>
        RunAsync(ActivityPolicies.ApplyMetadata, async ct =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var plan = await Planner.PlanAsync(input.RatingKey, input.Desired, ct);
            var notes = await WriteAsync(input.RatingKey, plan, ct);
            Planner.Remember(input.RatingKey, plan);
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
        });

    /// <summary>Gets the part of a sync before any write, shared with the reconciliation and the CLI's dry runs.</summary>
    public ScenePlanner Planner { get; } = new(stash, plex, settings, sections, posters);

    /// <summary>Matches files against the configured sections; shared with the reconciliation.</summary>
    public Task<MatchResult> MatchAsync(IReadOnlyList<string> files, CancellationToken cancellationToken) =>
        Planner.MatchAsync(files, cancellationToken);

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

    private async Task<T> RunAsync<T>(string name, Func<CancellationToken, Task<T>> body)
    {
        var context = ActivityExecutionContext.Current;
        try
        {
            return await body(context.CancellationToken);
        }
        catch (Exception e) when (FailureClassifier.Classify(e, policies[name], context.Info.Attempt) is { } failure)
        {
            throw failure;
        }
    }

    private T Classified<T>(string name, Func<T> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (FailureClassifier.Classify(e, policies[name], ActivityExecutionContext.Current.Info.Attempt) is { } failure)
        {
            throw failure;
        }
    }
}
