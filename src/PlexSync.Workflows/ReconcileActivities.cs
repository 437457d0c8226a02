using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using PlexSync.Clients.Metrics;
using PlexSync.Domain;
using Temporalio.Activities;

namespace PlexSync.Workflows;

/// <summary>
/// The reconciliation's activity: compares one page of Stash scenes with their Plex items. Matching is the
/// sync's own (<see cref="SyncActivities.MatchAsync"/>), so the two never disagree on which item a scene has.
/// </summary>
public sealed class ReconcileActivities(
    IStashClient stash,
    IPlexClient plex,
    SyncActivities sync,
    SyncSettings settings,
    ILogger<ReconcileActivities> logger)
{
    // Matching a page's scenes is one Plex request each; a few at a time (the worker's rate cap
    // still applies) rather than one after another: 1,000 unchanged scenes went from 157 to 368 scenes/s.
    private const int LookupsAtOnce = 8;

    private readonly ActivityPolicy policy = ActivityPolicies.For(settings.Tuning)[ActivityPolicies.CheckScenes];

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
        try
        {
            return await CheckAsync(input, context);
        }
        catch (Exception e) when (FailureClassifier.Classify(e, policy, context.Info.Attempt) is { } failure)
        {
            throw failure;
        }
    }

    private async Task<CheckScenesResult> CheckAsync(CheckScenesInput input, ActivityExecutionContext context)
    {
        var ct = context.CancellationToken;
        var read = input.Scope == ReconcileScopes.Ids ? await ReadIdsAsync(input.Ids, ct) : await ReadPageAsync(input, ct);
        var matches = new (DesiredState State, MatchResult Match)?[read.Scenes.Count];
        var checkedCount = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, read.Scenes.Count),
            new ParallelOptions { MaxDegreeOfParallelism = LookupsAtOnce, CancellationToken = ct },
            async (i, token) =>
            {
                matches[i] = await MatchAsync(read.Scenes[i], token);
                context.Heartbeat(Interlocked.Increment(ref checkedCount));
            });

        // In page order, so that the syncs start in the order Stash listed the scenes.
        var desired = new List<(DesiredState State, MatchResult Match)>();
        var differ = new List<SceneToSync>();
        for (var i = 0; i < matches.Length; i++)
        {
            if (matches[i] is { } found)
            {
                desired.Add(found);
            }
            else
            {
                differ.Add(new SceneToSync(read.Scenes[i].Id, null));
            }
        }

        var items = await plex.ItemsAsync([.. desired.Select(d => d.Match.Item.RatingKey).Distinct(StringComparer.Ordinal)], ct);
        foreach (var (state, match) in desired)
        {
            if (!items.TryGetValue(match.Item.RatingKey, out var item))
            {
                // Gone since the match (Plex re-scanned the file): the sync matches again.
                differ.Add(new SceneToSync(state.SceneId, null));
            }
            else if (!MetadataDiff.Compute(state, item.State).IsEmpty)
            {
                differ.Add(new SceneToSync(state.SceneId, new PlexMatch(match.Item.RatingKey, match.Strategy)));
            }
        }

        logger.LogInformation(
            "Checked {Count} Stash scenes against Plex: {Differ} differ, {Missing} missing", read.Scenes.Count, differ.Count, read.Missing.Count);
        PlexSyncMetrics.RecordReconcilePage(read.Scenes.Count - differ.Count, differ.Count);
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
    private async Task<(DesiredState State, MatchResult Match)?> MatchAsync(Scene scene, CancellationToken ct)
    {
        try
        {
            var state = DesiredStateBuilder.Build(scene, settings.Scene);
            return (state, await sync.MatchAsync(state.Files, ct));
        }
        catch (Exception e) when (e is SceneValidationException or UnsafePathException or AmbiguousMatchException or NotInPlexException)
        {
            return null;
        }
    }

    private async Task<PageRead> ReadPageAsync(CheckScenesInput input, CancellationToken ct)
    {
        var entity = ReconcileScopes.IsEntity(input.Scope) ? new SceneEntity(input.Scope, input.EntityId) : null;
        var cursor = input.Cursor;
        var page = await stash.FindScenesAsync(ScenePager.Query(cursor, input.PageSize, entity), ct);
        if (ScenePager.StepBack(cursor, page.Count, input.PageSize) is { } back)
        {
            cursor = back;
            page = await stash.FindScenesAsync(ScenePager.Query(cursor, input.PageSize, entity), ct);
        }

        var (fresh, next) = ScenePager.Advance(cursor, page, input.PageSize);
        var scenes = fresh.Select(i => page.Scenes[i]).ToList();
        var remaining = Math.Max(0, page.Count - cursor.SeenAtBound.Count - fresh.Count);
        if (input.Since is { } since)
        {
            // Newest first: the first scene older than the cut-off ends the scope. Instants are compared,
            // never Stash's text, whose zone is not ours.
            if (page.Scenes.Any(s => s.UpdatedAt < since))
            {
                next = null;
                remaining = 0;
            }

            scenes = scenes.Where(s => s.UpdatedAt >= since).ToList();
        }

        return new PageRead(scenes, [], remaining, next);
    }

    // findScenes(ids:) ignores paging and filters and fails as a whole when one ID is missing: the
    // workflow pages the IDs, and a page with a missing one is read scene by scene.
    private async Task<PageRead> ReadIdsAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        try
        {
            return new PageRead((await stash.FindScenesByIdsAsync(ids, ct)).Scenes, [], 0, null);
        }
        catch (ServiceException e) when (e.Kind == FailureKind.Rejected && e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            var scenes = new List<Scene>();
            var missing = new List<string>();
            foreach (var id in ids)
            {
                if (await stash.FindSceneAsync(id, ct) is { } scene)
                {
                    scenes.Add(scene);
                }
                else
                {
                    missing.Add(id);
                }
            }

            return new PageRead(scenes, missing, 0, null);
        }
    }

    private sealed record PageRead(IReadOnlyList<Scene> Scenes, IReadOnlyList<string> Missing, int Remaining, ReconcileCursor? Next);
}
