using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;

namespace PlexSync.Clients.Metrics;

/// <summary>
/// PlexSync's own measurements, on the "PlexSync" meter that `plexsync worker` serves in Prometheus format
/// (metrics.listen). Names are Prometheus names already; the exporter adds "_total" to counters and the
/// unit ("_seconds") to the rest. Every tag value is one of a few fixed words: never a scene, a path or a URL.
/// Outside a worker nobody listens, and recording costs next to nothing.
/// </summary>
public static class PlexSyncMetrics
{
    public const string MeterName = "PlexSync";

    /// <summary>Seconds: Plex and Stash answer in milliseconds on a LAN, a slow Plex takes seconds.</summary>
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "plexsync_http_requests", description: "Requests sent to Plex and Stash, by service and status class (2xx..5xx, or error when no answer came)");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "plexsync_http_request_duration", "s", "Time from sending a request to Plex or Stash to its answer's headers",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    private static readonly Counter<long> Syncs = Meter.CreateCounter<long>(
        "plexsync_syncs", description: "Scene syncs ended in this worker, by outcome and, for failed ones, error type");

    private static readonly Counter<long> PlexHolds = Meter.CreateCounter<long>(
        "plexsync_plex_holds", description: "Times Plex answered 429 and this worker held back every Plex request for its Retry-After");

    private static readonly Counter<long> Plays = Meter.CreateCounter<long>(
        "plexsync_plays", description: "Plex history rows recorded in this worker, by result (added, already_present, unmatched, ambiguous, failed)");

    private static readonly Counter<long> ReconcileScenes = Meter.CreateCounter<long>(
        "plexsync_reconcile_scenes", description: "Scenes a reconciliation compared with Plex in this worker, by result (same or differ)");

    /// <summary>Records one request that reached the socket: its status, or "error" when none came.</summary>
    public static void RecordRequest(string service, HttpStatusCode? status, TimeSpan duration)
    {
        var statusClass = status is { } s ? $"{(int)s / 100}xx" : "error";
        var tags = new TagList { { "service", service }, { "status_class", statusClass } };
        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records a sync's end: an outcome of <c>Outcomes</c>, and the error type of a failed one ("" otherwise).</summary>
    public static void RecordSync(string outcome, string errorType) =>
        Syncs.Add(1, new TagList { { "outcome", outcome }, { "error_type", errorType } });

    internal static void RecordPlexHold() => PlexHolds.Add(1);

    /// <summary>Records one history row's end: added, already_present, unmatched, ambiguous or failed.</summary>
    public static void RecordPlay(string result) => Plays.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Records one reconciliation page: how many scenes were the same in Plex and how many differ.</summary>
    public static void RecordReconcilePage(int same, int differ)
    {
        ReconcileScenes.Add(same, new KeyValuePair<string, object?>("result", "same"));
        ReconcileScenes.Add(differ, new KeyValuePair<string, object?>("result", "differ"));
    }
}
