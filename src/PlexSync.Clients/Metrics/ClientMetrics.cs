using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;

namespace PlexSync.Clients.Metrics;

/// <summary>What the Stash and Plex clients count: the requests that went out, their latency, and the 429 holds.</summary>
public sealed class ClientMetrics
{
    /// <summary>Seconds: Plex and Stash answer in milliseconds on a LAN, a slow Plex takes seconds.</summary>
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter<long> requests;
    private readonly Histogram<double> requestDuration;
    private readonly Counter<long> plexHolds;

    public ClientMetrics(IMeterFactory meters)
    {
        var meter = PlexSyncMeter.Create(meters);
        requests = meter.CreateCounter<long>(
            "plexsync_http_requests", description: "Requests sent to Plex and Stash, by service and status class (2xx..5xx, or error when no answer came)");
        requestDuration = meter.CreateHistogram(
            "plexsync_http_request_duration", "s", "Time from sending a request to Plex or Stash to its answer's headers",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        plexHolds = meter.CreateCounter<long>(
            "plexsync_plex_holds", description: "Times Plex answered 429 and this worker held back every Plex request for its Retry-After");
    }

    /// <summary>Records one request that reached the socket: its status, or "error" when none came.</summary>
    public void RecordRequest(string service, HttpStatusCode? status, TimeSpan duration)
    {
        var statusClass = status is { } s ? $"{(int)s / 100}xx" : "error";
        var tags = new TagList { { "service", service }, { "status_class", statusClass } };
        requests.Add(1, tags);
        requestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Records a 429 that held every Plex request of the worker back.</summary>
    public void RecordPlexHold() => plexHolds.Add(1);
}
