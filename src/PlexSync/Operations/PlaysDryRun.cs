using PlexSync.Clients;
using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>What a backfill would do for one Stash scene: the play times it would add and those Stash has already.</summary>
internal sealed record PlaysDryRunScene(string SceneId, string File, IReadOnlyList<long> Add, IReadOnlyList<long> Present);

/// <summary>A history row with no scene: the Plex item, when it was played, unmatched or ambiguous, and why.</summary>
internal sealed record PlaysDryRunProblem(string RatingKey, long ViewedAt, string Outcome, string Reason);

/// <summary>What a backfill would do: per scene, the rows without a scene, and the rows of other accounts or sections.</summary>
internal sealed record PlaysDryRunReport(IReadOnlyList<PlaysDryRunScene> Scenes, IReadOnlyList<PlaysDryRunProblem> Problems, int OutOfScope);

/// <summary>
/// A backfill without the writes: Plex's history between two times is read and matched by the plays' own code
/// (<see cref="PlaysPlanner"/>, <see cref="PlaysPager"/>), each scene's plays are read from Stash, and the rule of
/// RecordPlay (a scene gets as many plays at a second as Plex has rows for it there) says what would be added.
/// </summary>
internal static class PlaysDryRun
{
    // Bounds the pages read, whatever Plex answers.
    private const int MaxPages = 100_000;

    public static async Task<PlaysDryRunReport> RunAsync(
        PlaysPlanner planner, IStashClient stash, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(stash);
        var cursor = PlaysCursor.From(from);
        var bound = PlaysPager.Bound(cursor);
        var rows = new List<PlayRow>();
        var outOfScope = 0;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var page = await planner.ReadAsync(
                new ReadPlaysInput(cursor, bound, until.ToUnixTimeSeconds(), PlaysInput.DefaultPageSize), null, cancellationToken);
            (_, cursor) = PlaysPager.Take(cursor, page.Rows, page.OutOfScope);
            rows.AddRange(page.Rows);
            outOfScope += page.OutOfScope.Count;
            bound = page.NextBound;
            if (page.Done)
            {
                break;
            }
        }

        var scenes = new List<PlaysDryRunScene>();
        foreach (var scene in rows.Where(r => r.Match is not null).GroupBy(r => r.Match!.SceneId, StringComparer.Ordinal))
        {
            scenes.Add(await SceneAsync(stash, scene.Key, [.. scene], cancellationToken));
        }

        var problems = rows.Where(r => r.Problem is not null)
            .Select(r => new PlaysDryRunProblem(r.RatingKey, r.ViewedAt, r.Problem!.Outcome, r.Problem.Reason))
            .ToList();
        return new PlaysDryRunReport(scenes, problems, outOfScope);
    }

    // Per second: Plex's rows there beyond what Stash has would be added; the rest Stash has already.
    private static async Task<PlaysDryRunScene> SceneAsync(IStashClient stash, string sceneId, IReadOnlyList<PlayRow> rows, CancellationToken cancellationToken)
    {
        var plays = await stash.ScenePlaysAsync(sceneId, cancellationToken);
        var (add, present) = (new List<long>(), new List<long>());
        foreach (var second in rows.GroupBy(r => r.ViewedAt).OrderBy(g => g.Key))
        {
            var have = plays?.At(second.Key) ?? 0;
            var count = second.Count();
            add.AddRange(Enumerable.Repeat(second.Key, Math.Max(0, count - have)));
            present.AddRange(Enumerable.Repeat(second.Key, Math.Min(count, have)));
        }

        return new PlaysDryRunScene(sceneId, rows[0].Match!.StashFile, add, present);
    }
}
