using System.Globalization;
using PlexSync.Domain;
using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>One field a sync would write: its value in Plex now and after the sync.</summary>
internal sealed record FieldChange(string Field, string Now, string After);

/// <summary>What a sync of one scene would do.</summary>
internal sealed record SceneDryRun
{
    public const string WouldChange = "would change";
    public const string InStep = "in step";
    public const string WouldFail = "would fail";
    public const string NotInStash = "not in Stash";

    public required string SceneId { get; init; }

    /// <summary>Gets one of <see cref="WouldChange"/>, <see cref="InStep"/>, <see cref="WouldFail"/> or <see cref="NotInStash"/>.</summary>
    public required string Outcome { get; init; }

    public string Title { get; init; } = "";

    public string? RatingKey { get; init; }

    /// <summary>Gets how the item was matched: "path" or "basename".</summary>
    public string? MatchedBy { get; init; }

    public IReadOnlyList<FieldChange> Changes { get; init; } = [];

    /// <summary>Gets what would happen to the poster, or null for nothing.</summary>
    public string? Poster { get; init; }

    /// <summary>Gets why the sync would fail.</summary>
    public string? Problem { get; init; }
}

/// <summary>
/// A sync without the write: the scenes of a reconciliation's scope are read, validated, matched and compared
/// by the activities' own code (<see cref="ScenePlanner"/>), and what a sync would write is reported. Plex and
/// Stash are only read; no workflow starts.
/// </summary>
internal static class DryRun
{
    // Bounds the pages read, whatever Stash reports.
    private const int MaxPages = 100_000;

    /// <summary>Runs over the scope of <paramref name="input"/>, calling <paramref name="report"/> for each scene in the order Stash lists them.</summary>
    public static async Task RunAsync(ScenePlanner planner, ReconcileInput input, DateTimeOffset now, Action<SceneDryRun> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(report);
        var since = input.Scope == ReconcileScopes.Recent ? now - input.Window : (DateTimeOffset?)null;
        input = input with { Ids = [.. input.Ids.Distinct(StringComparer.Ordinal)] };
        var cursor = new ReconcileCursor();
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var page = input.Page(cursor, since);
            var read = await planner.ReadAsync(page, cancellationToken);
            foreach (var missing in read.Missing)
            {
                report(new SceneDryRun { SceneId = missing, Outcome = SceneDryRun.NotInStash });
            }

            foreach (var check in await planner.CheckAsync(read.Scenes, null, cancellationToken))
            {
                report(await SceneAsync(planner, check, cancellationToken));
            }

            var next = input.Scope == ReconcileScopes.Ids ? input.NextIdsPage(page) : read.Next;
            if (next is null)
            {
                return;
            }

            cursor = next;
        }
    }

    /// <summary>What the sync would write, from the full item as the sync reads it (the batched read may be partial).</summary>
    public static async Task<SceneDryRun> SceneAsync(ScenePlanner planner, SceneCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(check);
        var scene = new SceneDryRun { SceneId = check.Scene.Id, Title = check.Scene.Title, Outcome = SceneDryRun.InStep };
        if (check.Problem is { } problem)
        {
            return scene with { Outcome = SceneDryRun.WouldFail, Problem = problem.Message };
        }

        var state = check.State!;
        var match = check.Match!;
        scene = scene with { RatingKey = match.Item.RatingKey, MatchedBy = match.Strategy };
        if (check.InStep)
        {
            return scene;
        }

        WritePlan plan;
        try
        {
            plan = await planner.PlanAsync(match.Item.RatingKey, state, cancellationToken);
        }
        catch (PlexItemGoneException e)
        {
            return scene with { Outcome = SceneDryRun.WouldFail, Problem = e.Message };
        }

        return plan.IsEmpty ? scene : scene with { Outcome = SceneDryRun.WouldChange, Changes = Fields(plan), Poster = Poster(plan) };
    }

    /// <summary>The fields, tag lists and rating a plan writes, each with its value now and after; a value already right is written to lock it.</summary>
    public static IReadOnlyList<FieldChange> Fields(WritePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var now = plan.Current;
        var changes = new List<FieldChange>();
        foreach (var (name, after) in plan.Changes.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            changes.Add(Change(name, now.Field(name), after, now.IsLocked(name)));
        }

        foreach (var (name, edit) in plan.Changes.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            changes.Add(Change(name, string.Join(", ", now.TagList(name)), string.Join(", ", edit.Set), now.IsLocked(name)));
        }

        if (plan.Changes.Rating is { } rating)
        {
            changes.Add(new FieldChange(PlexFields.Rating, Rating(now.Rating), Rating(rating)));
        }

        return changes;
    }

    private static FieldChange Change(string name, string now, string after, bool locked) =>
        new(name, now, now == after && !locked ? after + " (same value, locked so that Plex keeps it)" : after);

    private static string Rating(double rating) =>
        rating == PlexFields.NoRating ? "none" : rating.ToString("0.#", CultureInfo.InvariantCulture);

    private static string? Poster(WritePlan plan) => plan.Poster switch
    {
        { Upload: true } => "upload Stash's cover",
        { } => "select Stash's cover (Plex has it already)",
        null when plan.Changes.LockPoster => "lock the poster",
        null => null,
    };
}
