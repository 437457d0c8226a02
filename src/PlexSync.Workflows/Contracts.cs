using PlexSync.Domain;

namespace PlexSync.Workflows;

/// <summary>Outcomes, as stored in the PlexSyncOutcome search attribute.</summary>
public static class Outcomes
{
    public const string Synced = "synced";
    public const string Unchanged = "unchanged";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
}

/// <summary>Why a sync was asked for.</summary>
public static class SyncReasons
{
    public const string Hook = "hook";
    public const string Reconcile = "reconcile";
    public const string Manual = "manual";
    public const string Retry = "retry";
}

/// <summary>The Plex item a scene matched and the strategy that found it.</summary>
public sealed record PlexMatch(string RatingKey, string Strategy);

/// <summary>
/// Names the scene and why it is synced: never credentials and never scene data, which the
/// workflow reads fresh from Stash.
/// </summary>
/// <param name="SceneId">The Stash scene ID.</param>
/// <param name="Reason">hook, reconcile, manual or retry.</param>
/// <param name="Match">
/// The Plex item a reconciliation matched moments before: the first pass starts from it instead of
/// matching again. If Plex has re-scanned the file since, the item is gone and the pass matches anew.
/// </param>
public sealed record SceneSyncInput(string SceneId, string Reason, PlexMatch? Match = null);

/// <summary>What a sync did.</summary>
public sealed record SceneSyncResult
{
    public required string SceneId { get; init; }

    public string Outcome { get; init => field = value ?? ""; } = "";

    public string RatingKey { get; init => field = value ?? ""; } = "";

    public string Strategy { get; init => field = value ?? ""; } = "";

    public IReadOnlyList<string> Changed { get; init => field = value ?? []; } = [];

    public string SkipReason { get; init => field = value ?? ""; } = "";

    public int Passes { get; init; }

    /// <summary>Gets what a pass could not write as Stash has it (a field Plex refused for its length), in words.</summary>
    public IReadOnlyList<string> Notes { get; init => field = value ?? []; } = [];
}

/// <summary>A scene snapshot, or <c>Scene = null</c> when Stash has no such scene.</summary>
public sealed record FetchResult(Scene? Scene);

/// <summary>What ApplyMetadata needs: the matched item and the desired state.</summary>
public sealed record ApplyInput(string RatingKey, DesiredState Desired);

/// <summary>The fields written; empty means the item was already right.</summary>
public sealed record ApplyResult(IReadOnlyList<string> Changed)
{
    /// <summary>Gets a note for each field Plex refused for its length: written shortened, or not written.</summary>
    public IReadOnlyList<string> Notes { get; init => field = value ?? []; } = [];
}
