namespace PlexSync.Workflows;

/// <summary>What a reconciliation covers.</summary>
public static class ReconcileScopes
{
    /// <summary>Every scene.</summary>
    public const string All = "all";

    /// <summary>The scenes updated within <see cref="ReconcileInput.Window"/> before the start.</summary>
    public const string Recent = "recent";

    /// <summary>The scenes of <see cref="ReconcileInput.Ids"/>.</summary>
    public const string Ids = "ids";

    /// <summary>The scenes of one performer (<see cref="ReconcileInput.EntityId"/>); likewise tag, studio and group.</summary>
    public const string Performer = Clients.SceneEntityKinds.Performer;

    public const string Tag = Clients.SceneEntityKinds.Tag;

    public const string Studio = Clients.SceneEntityKinds.Studio;

    public const string Group = Clients.SceneEntityKinds.Group;

    public static readonly IReadOnlyList<string> Known = [All, Recent, Ids, Performer, Tag, Studio, Group];

    /// <summary>Whether <paramref name="scope"/> selects one performer's, tag's, studio's or group's scenes.</summary>
    public static bool IsEntity(string scope) => Clients.SceneEntityKinds.All.Contains(scope, StringComparer.Ordinal);
}

/// <summary>
/// What a reconciliation covers and how it runs; across continue-as-new it also carries where the
/// previous run stopped and what it counted.
/// </summary>
public sealed record ReconcileInput
{
    public const int DefaultPageSize = 100;
    public const int DefaultConcurrency = 64;
    public const int DefaultPagesPerRun = 20;

    /// <summary>The CheckScenes input for the page at <paramref name="cursor"/>; explicit IDs are paged here, since Stash does not page them.</summary>
    public CheckScenesInput Page(ReconcileCursor cursor, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        return new CheckScenesInput
        {
            Scope = Scope,
            EntityId = EntityId,
            Ids = Scope == ReconcileScopes.Ids ? [.. Ids.Skip(cursor.Offset).Take(PageSize)] : [],
            PageSize = PageSize,
            Cursor = cursor,
            Since = since,
        };
    }

    /// <summary>For the ids scope: where the page after <paramref name="page"/> starts, or null when it was the last.</summary>
    public ReconcileCursor? NextIdsPage(CheckScenesInput page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var done = page.Cursor.Offset + page.Ids.Count;
        return done < Ids.Count ? page.Cursor with { Offset = done } : null;
    }

    /// <summary>Gets one of <see cref="ReconcileScopes.Known"/>.</summary>
    public string Scope { get; init => field = value ?? ReconcileScopes.All; } = ReconcileScopes.All;

    /// <summary>Gets how far back the recent scope looks from the start.</summary>
    public TimeSpan Window { get; init; }

    /// <summary>Gets the scene IDs of the ids scope.</summary>
    public IReadOnlyList<string> Ids { get; init => field = value ?? []; } = [];

    /// <summary>Gets the Stash ID of the performer, tag, studio or group of an entity scope.</summary>
    public string EntityId { get; init => field = value ?? ""; } = "";

    /// <summary>Gets how many scenes are read and compared at a time.</summary>
    public int PageSize { get; init => field = value > 0 ? value : DefaultPageSize; } = DefaultPageSize;

    /// <summary>Gets how many scene syncs run at once.</summary>
    public int Concurrency { get; init => field = value > 0 ? value : DefaultConcurrency; } = DefaultConcurrency;

    /// <summary>Gets how many pages a run checks before it continues as new, so its history stays small.</summary>
    public int PagesPerRun { get; init => field = value > 0 ? value : DefaultPagesPerRun; } = DefaultPagesPerRun;

    /// <summary>Gets the cut-off of the recent scope, fixed by the first run.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets where the next page starts; null before the first page.</summary>
    public ReconcileCursor? Cursor { get; init; }

    /// <summary>Gets what the earlier runs counted.</summary>
    public ReconcileProgress Progress { get; init => field = value ?? new(); } = new();
}

/// <summary>
/// A reconciliation's counts so far: the answer of the progress query and the workflow's result.
/// Once done, every scene seen was in step, or differed and its sync counts as Synced, Unchanged,
/// Skipped, Failed or InProgress; Skipped also counts explicit IDs that Stash does not have (seen, not
/// differing).
/// </summary>
public sealed record ReconcileProgress
{
    /// <summary>Gets the scenes in scope as last counted (for the recent scope an upper bound until done).</summary>
    public int Total { get; init; }

    /// <summary>Gets the scenes checked against Plex.</summary>
    public int Seen { get; init; }

    /// <summary>Gets the scenes whose Plex item differed (or that could not be checked) and so got a sync.</summary>
    public int Changed { get; init; }

    /// <summary>Gets the syncs that wrote to Plex.</summary>
    public int Synced { get; init; }

    /// <summary>Gets the syncs that found the item already right by the time they ran.</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets the scenes deleted from Stash (before their sync, or explicit IDs Stash does not have).</summary>
    public int Skipped { get; init; }

    /// <summary>Gets the syncs that failed; `plexsync failed` and the Web UI say why.</summary>
    public int Failed { get; init; }

    /// <summary>Gets the scenes whose sync was already running (from a hook): that sync brings them in step.</summary>
    public int InProgress { get; init; }

    /// <summary>Gets the scenes not checked yet.</summary>
    public int Remaining { get; init; }

    /// <summary>Gets the workflow runs so far (continue-as-new).</summary>
    public int Runs { get; init; }

    public bool Done { get; init; }

    /// <summary>The one-line summary the Web UI shows as the run's current details.</summary>
    public string Describe() =>
        string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"{(Done ? "Done" : "Reconciling")}: {Seen} of {Total} scenes checked, {Changed} differed: {Synced} synced, {Unchanged} unchanged, {Skipped} skipped, {Failed} failed, {InProgress} already syncing (run {Runs})");
}

/// <summary>
/// Where the next page of a keyset paging of Stash's scenes starts (newest updated_at first).
/// </summary>
public sealed record ReconcileCursor
{
    /// <summary>Gets the updated_at text, exactly as Stash returned it, of the last scene read; null before the first page.</summary>
    public string? Bound { get; init; }

    /// <summary>Gets the scenes already read whose updated_at is <see cref="Bound"/>: the inclusive bound returns them again.</summary>
    public IReadOnlyList<string> SeenAtBound { get; init => field = value ?? []; } = [];

    /// <summary>Gets the page number under <see cref="Bound"/>: above 1 only while a tie group is larger than a page.</summary>
    public int Page { get; init => field = value > 0 ? value : 1; } = 1;

    /// <summary>Gets Stash's count of the scenes up to <see cref="Bound"/> at the last read: it only shrinks, and when it does within a tie group, the page steps back.</summary>
    public int CountAtBound { get; init; }

    /// <summary>Gets, for the ids scope, how many IDs are done.</summary>
    public int Offset { get; init; }
}

/// <summary>One page for CheckScenes: the scope, the cursor, and for the ids scope the page's IDs.</summary>
public sealed record CheckScenesInput
{
    public string Scope { get; init => field = value ?? ReconcileScopes.All; } = ReconcileScopes.All;

    public string EntityId { get; init => field = value ?? ""; } = "";

    /// <summary>Gets this page's scene IDs (ids scope only).</summary>
    public IReadOnlyList<string> Ids { get; init => field = value ?? []; } = [];

    public int PageSize { get; init => field = value > 0 ? value : ReconcileInput.DefaultPageSize; } = ReconcileInput.DefaultPageSize;

    public ReconcileCursor Cursor { get; init => field = value ?? new(); } = new();

    /// <summary>Gets the recent scope's cut-off: paging stops at the first scene updated before it.</summary>
    public DateTimeOffset? Since { get; init; }
}

/// <summary>A scene that needs a sync, with the Plex item it matched when it has one, so the sync need not match again.</summary>
public sealed record SceneToSync(string SceneId, PlexMatch? Match);

/// <summary>What CheckScenes found on one page.</summary>
public sealed record CheckScenesResult
{
    /// <summary>Gets how many scenes of the page were checked (new to the reconciliation and in scope).</summary>
    public int Seen { get; init; }

    /// <summary>Gets the scenes whose Plex item differs, or that could not be validated or matched (their sync fails visibly).</summary>
    public IReadOnlyList<SceneToSync> Differ { get; init => field = value ?? []; } = [];

    /// <summary>Gets explicit IDs that Stash does not have (ids scope).</summary>
    public IReadOnlyList<string> Missing { get; init => field = value ?? []; } = [];

    /// <summary>Gets how many scenes in scope are still to be read after this page, as Stash counts them now.</summary>
    public int Remaining { get; init; }

    /// <summary>Gets where the next page starts; null when this was the last.</summary>
    public ReconcileCursor? Next { get; init; }
}
