using System.Diagnostics;
using System.Diagnostics.Metrics;
using PlexSync.Clients.Metrics;
using PlexSync.Clients.Protection;
using PlexSync.Spool;
using PlexSync.Workflows;
using Polly.CircuitBreaker;

namespace PlexSync.Hosting;

/// <summary>Whether the worker is ready: connected to Temporal and seen polling both task queues; why not, when not.</summary>
internal sealed record Readiness(bool Ready, string Why, DateTimeOffset CheckedAt);

/// <summary>
/// What one worker process knows of itself: its readiness (from <see cref="WorkerHeartbeat"/>) and its last
/// success: a sync that did not fail or a finished reconciliation (from <see cref="SyncOutcomeInterceptor"/>). Serves them, the Plex breaker and the spool as
/// gauges on the PlexSync meter, read at each scrape, and counts the syncs and the history rows that ended.
/// </summary>
internal sealed class WorkerStatus
{
    private static readonly (CircuitState State, string Name)[] BreakerStates =
        [(CircuitState.Closed, "closed"), (CircuitState.Open, "open"), (CircuitState.HalfOpen, "half_open")];

    private readonly TimeProvider time;
    private readonly Counter<long> syncs;
    private readonly Counter<long> plays;
    private long lastSuccessTicks;
    private Readiness readiness;

    public WorkerStatus(TimeProvider time, PlexProtection plex, string spoolPath, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(plex);
        this.time = time;
        var meter = PlexSyncMeter.Create(meters);
        syncs = meter.CreateCounter<long>(
            "plexsync_syncs", description: "Scene syncs ended in this worker, by outcome and, for failed ones, error type");
        plays = meter.CreateCounter<long>(
            "plexsync_plays", description: "Plex history rows recorded in this worker, by result (added, already_present, unmatched, ambiguous, failed)");
        var started = time.GetUtcNow();
        lastSuccessTicks = started.UtcTicks;
        readiness = new Readiness(false, "starting: not yet seen polling", started);
        meter.CreateObservableGauge(
            "plexsync_last_success_age", () => LastSuccessAge.TotalSeconds, "s",
            "Seconds since this worker last finished a sync that did not fail or a reconciliation (or since it started, before either)");
        meter.CreateObservableGauge(
            "plexsync_worker_ready", () => Readiness.Ready ? 1 : 0,
            description: "1 while the worker reaches Temporal and the server lists it polling both task queues, else 0");
        meter.CreateObservableGauge(
            "plexsync_plex_breaker_state",
            () => BreakerStates.Select(s => new Measurement<int>(plex.BreakerState == s.State ? 1 : 0, new KeyValuePair<string, object?>("state", s.Name))),
            description: "1 for the state this worker's Plex circuit breaker is in (closed, open, half_open), 0 for the others");
        meter.CreateObservableGauge(
            "plexsync_spool_events", () => new SyncSpool(spoolPath).Entries().Count,
            description: "Hook events waiting in the spool file (spool_path) because Temporal was unreachable");
    }

    public Readiness Readiness
    {
        get => Volatile.Read(ref readiness);
        set => Volatile.Write(ref readiness, value);
    }

    /// <summary>Gets how long ago the last sync that did not fail ended, or the worker started.</summary>
    public TimeSpan LastSuccessAge => time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref lastSuccessTicks), TimeSpan.Zero);

    /// <summary>Records a sync's end: its outcome and, for a failed one, its error type.</summary>
    public void SyncEnded(string outcome, string errorType)
    {
        syncs.Add(1, new TagList { { "outcome", outcome }, { "error_type", errorType } });
        if (outcome != Outcomes.Failed)
        {
            Succeeded();
        }
    }

    /// <summary>Records one history row's end: added, already_present, unmatched, ambiguous or failed.</summary>
    public void PlayEnded(string result) => plays.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Notes a success now: a sync that did not fail, or a finished reconciliation.</summary>
    public void Succeeded() => Interlocked.Exchange(ref lastSuccessTicks, time.GetUtcNow().UtcTicks);
}
