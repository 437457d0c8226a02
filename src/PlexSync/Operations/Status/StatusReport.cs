namespace PlexSync.Operations;

/// <summary>What `plexsync status` reports.</summary>
internal sealed record StatusReport
{
    /// <summary>
    /// What every breaker line says: the breaker lives in each worker process, which status cannot
    /// ask, so the line reports only what the running syncs show.
    /// </summary>
    public const string BreakerScope = "each worker keeps its own breaker and logs every change";

    public required DateTime At { get; init; }

    public required RunningSyncs Running { get; init; }

    /// <summary>Gets the syncs closed in the last 24 h: completed ones by PlexSyncOutcome, failed ones, and "stopped" ones (terminated, timed out, cancelled).</summary>
    public required IReadOnlyDictionary<string, long> Last24h { get; init; }

    public DateTime? LastSuccess { get; init; }

    public required ReconcileStatus Reconciliation { get; init; }

    public required ScheduleStatus Schedule { get; init; }

    public required SpoolStatus Spool { get; init; }

    /// <summary>Gets what the running syncs show of the workers' circuit breakers (their last failure PlexCircuitOpen).</summary>
    public string PlexCircuitBreaker { get; init; } = "";

    public IReadOnlyList<QueueStatus> Workers { get; init; } = [];

    /// <summary>Gets the plays: their schedule, last run and the history rows of the last 24 h by outcome.</summary>
    public PlaysStatus? Plays { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];
}
