namespace PlexSync.Workflows;

/// <summary>
/// The few retry numbers an operator (or a test) may change; everything else in
/// <see cref="ActivityPolicies"/> is fixed. The defaults suit a home server.
/// </summary>
public sealed record RetryTuning
{
    /// <summary>Gets the first backoff step for Unavailable.</summary>
    public TimeSpan TransientInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the backoff cap for Unavailable.</summary>
    public TimeSpan TransientMax { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets how long to keep retrying Unavailable before giving up.</summary>
    public TimeSpan TransientFor { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Gets the first wait for a file Plex has not scanned.</summary>
    public TimeSpan NotInPlexInitial { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the longest wait between such checks.</summary>
    public TimeSpan NotInPlexMax { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets how long to wait for Plex's scan before giving up.</summary>
    public TimeSpan NotInPlexFor { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Gets one attempt's limit; a crashed worker's work waits this long before another worker retries it.</summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
