namespace PlexSync.Workflows;

/// <summary>
/// The names Temporal shows for a failed activity, in the Web UI and in `plexsync failed`. Each says
/// what happened, not where in the code.
/// </summary>
public static class ErrorTypes
{
    /// <summary>5xx, timeout, refused: retried with jittered backoff.</summary>
    public const string Unavailable = "Unavailable";

    /// <summary>429: retried after Retry-After.</summary>
    public const string RateLimited = "RateLimited";

    /// <summary>Plex has not scanned the file: slow retries.</summary>
    public const string NotInPlexYet = "NotInPlexYet";

    /// <summary>Plex failed repeatedly: waiting out the breaker's cool-down.</summary>
    public const string PlexCircuitOpen = "PlexCircuitOpen";

    /// <summary>401/403: a person must fix a token.</summary>
    public const string AuthFailed = "AuthFailed";

    /// <summary>The scene breaks a sanitising rule.</summary>
    public const string InvalidScene = "InvalidScene";

    /// <summary>Several Plex items fit.</summary>
    public const string AmbiguousMatch = "AmbiguousMatch";

    /// <summary>400/422, a GraphQL error, or an answer that cannot mean anything: the request is wrong.</summary>
    public const string Rejected = "Rejected";

    /// <summary>A setting that does not fit the servers, e.g. a section name Plex does not have.</summary>
    public const string ConfigError = "ConfigError";

    /// <summary>The matched item vanished twice in one sync.</summary>
    public const string PlexItemGone = "PlexItemGone";

    /// <summary>The types that retrying cannot fix.</summary>
    public static readonly IReadOnlyList<string> NonRetryable = [AuthFailed, Rejected, InvalidScene, AmbiguousMatch, PlexItemGone, ConfigError];
}
