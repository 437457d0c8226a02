using System.Security.Cryptography;
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
    /// Writes only what differs: the poster, then one PUT with every changed field locked, then the
    /// rating. Re-running it is safe: a second run finds nothing to change.
    /// </summary>
    [Activity(ActivityPolicies.ApplyMetadata)]
    public Task<ApplyResult> ApplyMetadataAsync(ApplyInput input) =>
        RunAsync(ActivityPolicies.ApplyMetadata, async ct =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var plan = await PlanAsync(input.RatingKey, input.Desired, ct);
            await WriteAsync(input.RatingKey, plan, ct);
            var changed = plan.Changes.Names().ToList();
            if (plan.Poster is not null && !changed.Contains("poster"))
            {
                changed.Add("poster");
            }

            logger.LogInformation("Applied metadata of scene {SceneId} to Plex item {RatingKey}: {Changed}", input.Desired.SceneId, input.RatingKey, changed);
            return new ApplyResult(changed);
        });

    /// <summary>Matches files against the configured sections; shared with the reconciliation.</summary>
    public async Task<MatchResult> MatchAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var keys = await sections.KeysAsync(plex, settings.Sections, cancellationToken);
        return await ItemMatcher.FindAsync(files, settings.Mappings, async (fragment, ct) =>
        {
            var all = new List<PlexCandidate>();
            foreach (var key in keys)
            {
                all.AddRange(await plex.FindByFileAsync(key, fragment, ct));
            }

            return all;
        }, cancellationToken);
    }

    private async Task<WritePlan> PlanAsync(string ratingKey, DesiredState desired, CancellationToken ct)
    {
        PlexItem item;
        try
        {
            item = await plex.ItemAsync(ratingKey, ct);
        }
        catch (ServiceException e) when (e.Kind == FailureKind.NotFound)
        {
            throw new PlexItemGoneException(ratingKey);
        }

        var changes = MetadataDiff.Compute(desired, item.State);
        var poster = changes.PosterStale ? await PlanPosterAsync(ratingKey, desired.Poster, ct) : null;
        return new WritePlan(item.SectionKey, changes, poster);
    }

    // Plex names an uploaded image by the SHA-1 of its bytes, so an image it already has is selected,
    // never uploaded twice. Stash's placeholder (no cover) is never uploaded.
    private async Task<PosterPlan?> PlanPosterAsync(string ratingKey, string path, CancellationToken ct)
    {
        var image = await stash.ScreenshotAsync(path, ct);
        if (image is null)
        {
            return null;
        }

#pragma warning disable CA5350 // SHA-1 is how Plex names an uploaded poster, not a security measure.
        var key = "upload://posters/" + Convert.ToHexStringLower(SHA1.HashData(image.Bytes));
#pragma warning restore CA5350
        var posters = await plex.PostersAsync(ratingKey, ct);
        var existing = posters.FirstOrDefault(p => p.RatingKey == key);
        return existing is { Selected: true } ? null : new PosterPlan(image.Bytes, key, Upload: existing is null);
    }

    private async Task WriteAsync(string ratingKey, WritePlan plan, CancellationToken ct)
    {
        if (plan.Poster is { Upload: true })
        {
            await plex.UploadPosterAsync(ratingKey, plan.Poster.Image, ct);
        }
        else if (plan.Poster is not null)
        {
            await plex.SelectPosterAsync(ratingKey, plan.Poster.Key, ct);
        }

        if (plan.Changes.NeedsEdit)
        {
            await plex.EditAsync(plan.SectionKey, ratingKey, plan.Changes, ct);
        }

        if (plan.Changes.Rating is { } rating)
        {
            await plex.RateAsync(ratingKey, rating, ct);
        }
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

    private sealed record WritePlan(string SectionKey, Changes Changes, PosterPlan? Poster);

    private sealed record PosterPlan(byte[] Image, string Key, bool Upload);
}
