using System.Globalization;

namespace PlexSync.Workflows;

/// <summary>What became of one Plex history row, as stored in the PlexSyncOutcome search attribute and counted by plexsync_plays_total.</summary>
public static class PlayOutcomes
{
    /// <summary>The play was added to the scene's play history.</summary>
    public const string Added = "added";

    /// <summary>Stash already had it (an earlier run, or a backfill over plays recorded before).</summary>
    public const string AlreadyPresent = "already_present";

    /// <summary>No Stash scene has the item's file (or the item or the scene is gone).</summary>
    public const string Unmatched = "unmatched";

    /// <summary>Several Stash scenes fit.</summary>
    public const string Ambiguous = "ambiguous";

    /// <summary>The row's workflow failed; `plexsync failed --plays` says why.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Added, AlreadyPresent, Unmatched, Ambiguous, Failed];
}

/// <summary>How a plays run came about.</summary>
public static class PlaysModes
{
    /// <summary>The schedule's run: from the last run's cursor; a row recorded before is never redone.</summary>
    public const string Scheduled = "scheduled";

    /// <summary>`plexsync plays sync --since`: a time range of its own, never the schedule's cursor; a row recorded before is checked again.</summary>
    public const string Backfill = "backfill";
}

/// <summary>A row already taken, remembered while it can still be read again.</summary>
public sealed record SeenPlay(long HistoryId, long ViewedAt, string SceneId);

/// <summary>
/// Where reading Plex's watch history stands: the latest row taken (by viewedAt, then history ID) and the rows taken
/// within <see cref="Lookback"/> of it, which the next read (from the bound a lookback earlier) meets again and skips.
/// Rows viewed before <see cref="Floor"/> are never taken: the first scheduled run starts from now.
/// </summary>
public sealed record PlaysCursor
{
    /// <summary>How far back each run reads again, for rows Plex writes late (a busy server).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(1);

    /// <summary>At most this many rows are remembered; beyond, the workflow IDs and Stash's own count still keep a row from being added twice.</summary>
    public const int MaxRecent = 2000;

    /// <summary>Gets the Plex server's machineIdentifier; empty until the first read.</summary>
    public string Server { get; init => field = value ?? ""; } = "";

    /// <summary>Gets the earliest viewedAt (Unix seconds) that is ever taken.</summary>
    public long Floor { get; init; }

    public long HighViewedAt { get; init; }

    public long HighHistoryId { get; init; }

    public IReadOnlyList<SeenPlay> Recent { get; init => field = value ?? []; } = [];

    /// <summary>A cursor that takes nothing viewed before <paramref name="from"/>.</summary>
    public static PlaysCursor From(DateTimeOffset from) => new() { Floor = from.ToUnixTimeSeconds(), HighViewedAt = from.ToUnixTimeSeconds() };
}

/// <summary>What a plays run reads and how; across continue-as-new also where it stands and what it counted.</summary>
public sealed record PlaysInput
{
    public const int DefaultPageSize = 100;
    public const int DefaultConcurrency = 8;
    public const int DefaultPagesPerRun = 20;

    /// <summary>Gets one of <see cref="PlaysModes"/>.</summary>
    public string Mode { get; init => field = value ?? PlaysModes.Scheduled; } = PlaysModes.Scheduled;

    /// <summary>Gets where reading starts; a scheduled run takes the last completed run's cursor instead, when there is one.</summary>
    public PlaysCursor Cursor { get; init => field = value ?? new(); } = new();

    /// <summary>Gets the viewedAt the next page starts at; set across continue-as-new only.</summary>
    public long? Bound { get; init; }

    /// <summary>Gets the latest viewedAt a backfill takes (its start); null for none.</summary>
    public long? Until { get; init; }

    public int PageSize { get; init => field = value > 0 ? value : DefaultPageSize; } = DefaultPageSize;

    /// <summary>Gets how many rows are recorded at once.</summary>
    public int Concurrency { get; init => field = value > 0 ? value : DefaultConcurrency; } = DefaultConcurrency;

    /// <summary>Gets how many pages a run reads before it continues as new, so its history stays small.</summary>
    public int PagesPerRun { get; init => field = value > 0 ? value : DefaultPagesPerRun; } = DefaultPagesPerRun;

    public PlaysProgress Progress { get; init => field = value ?? new(); } = new();
}

/// <summary>A plays run's counts so far: the progress query's answer.</summary>
public sealed record PlaysProgress
{
    /// <summary>Gets the history rows read for the first time (a page's last second is read again by the next page; those rows count once).</summary>
    public int Read { get; init; }

    /// <summary>Gets the rows of other accounts or sections, read and left alone.</summary>
    public int OutOfScope { get; init; }

    /// <summary>Gets the rows a RecordPlay workflow was started for.</summary>
    public int Started { get; init; }

    public int Added { get; init; }

    public int AlreadyPresent { get; init; }

    public int Unmatched { get; init; }

    public int Ambiguous { get; init; }

    public int Failed { get; init; }

    /// <summary>Gets the rows whose workflow ran before or runs now (its ID was taken): nothing to do.</summary>
    public int AlreadyHandled { get; init; }

    /// <summary>Gets the doubles removed: a retried add whose first request was applied late.</summary>
    public int Repaired { get; init; }

    /// <summary>Gets the resume points written (plays.resume).</summary>
    public int ResumeSet { get; init; }

    public int Pages { get; init; }

    public int Runs { get; init; }

    /// <summary>Gets the latest play time taken, in Unix seconds.</summary>
    public long CursorAt { get; init; }

    public bool Done { get; init; }

    /// <summary>The one-line summary the Web UI shows as the run's current details, and the CLI prints.</summary>
    public string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{(Done ? "Done" : "Reading Plex history")}: {Read} rows read, {Started} plays started: {Added} added, {AlreadyPresent} already present, " +
            $"{Unmatched} unmatched, {Ambiguous} ambiguous, {Failed} failed, {AlreadyHandled} handled before; {OutOfScope} of other accounts or sections; " +
            $"up to {PlayTimes.Show(CursorAt)} (run {Runs})");
}

/// <summary>A plays run's result: its counts and where the next scheduled run starts (it reads the last completed result).</summary>
public sealed record PlaysResult(PlaysProgress Progress, PlaysCursor Cursor);

/// <summary>One page for ReadPlexHistory: the cursor (what is taken already), the viewedAt it starts at, and a backfill's end.</summary>
public sealed record ReadPlaysInput(PlaysCursor Cursor, long Bound, long? Until, int PageSize);

/// <summary>What one page of Plex's history gave: the rows to record, matched, and where the next page starts.</summary>
public sealed record PlaysPage
{
    /// <summary>Gets the Plex server's machineIdentifier.</summary>
    public string Server { get; init => field = value ?? ""; } = "";

    /// <summary>Gets the rows new to the cursor and in scope, by viewedAt then history ID, each with its scene or why none.</summary>
    public IReadOnlyList<PlayRow> Rows { get; init => field = value ?? []; } = [];

    /// <summary>Gets the rows new to the cursor of other accounts or sections: remembered, so that a page re-reading them does not count them again.</summary>
    public IReadOnlyList<SeenPlay> OutOfScope { get; init => field = value ?? []; } = [];

    /// <summary>Gets how many rows were new to the cursor, in scope or not.</summary>
    public int Read { get; init; }

    public long NextBound { get; init; }

    /// <summary>Gets a value indicating whether the history has no more rows for now (or a backfill reached its end).</summary>
    public bool Done { get; init; }
}

/// <summary>Formats play times the same way everywhere: the Web UI, the CLI, error texts.</summary>
public static class PlayTimes
{
    public static string Show(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
