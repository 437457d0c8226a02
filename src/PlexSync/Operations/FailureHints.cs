using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>What to do about each error type: the README's "Failures and what to do" table, for `plexsync failed`.</summary>
internal static class FailureHints
{
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        [ErrorTypes.Unavailable] = "Plex or Stash did not answer; check that they run, then `plexsync retry`",
        [ErrorTypes.RateLimited] = "Plex kept answering 429; lower plex.activities_per_second, then `plexsync retry`",
        [ErrorTypes.NotInPlexYet] = "Plex has not scanned the file; check path_mappings and the Plex library folders, then `plexsync retry`",
        [ErrorTypes.PlexCircuitOpen] = "Plex failed repeatedly; check Plex, then `plexsync retry`",
        [ErrorTypes.AuthFailed] = "fix plex.token or stash.api_key, restart the worker, then `plexsync retry`",
        [ErrorTypes.InvalidScene] = "fix the field the message names in Stash; saving the scene syncs it again (or `plexsync retry`)",
        [ErrorTypes.AmbiguousMatch] = "give the files distinct names or add a path mapping, then `plexsync retry`",
        [ErrorTypes.Rejected] = "the request was wrong: report it with the message",
        [ErrorTypes.ConfigError] = "fix the config, restart the worker, then `plexsync retry`",
        [ErrorTypes.PlexItemGone] = "Plex re-scanned the file during the sync; `plexsync retry`",
        ["Terminated"] = "someone stopped the sync; `plexsync retry` when it should run",
        ["TimedOut"] = "the sync ran out of time; check the worker's log, then `plexsync retry`",
        ["Canceled"] = "someone cancelled the sync; `plexsync retry` when it should run",
    };

    /// <summary>The hint for an error type; a type we do not know points at the worker's log.</summary>
    public static string For(string errorType) =>
        Hints.TryGetValue(errorType, out var hint) ? hint : "see the run in the Web UI and the worker's log, then `plexsync retry`";

    /// <summary>Whether <paramref name="errorType"/> has a hint of its own.</summary>
    public static bool Knows(string errorType) => Hints.ContainsKey(errorType);
}
