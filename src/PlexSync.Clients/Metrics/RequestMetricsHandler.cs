using System.Diagnostics;

namespace PlexSync.Clients.Metrics;

/// <summary>
/// The innermost handler of the Plex and Stash clients: measures each request that really goes out
/// (not those the breaker or a 429 hold refused) by status class and latency.
/// </summary>
internal sealed class RequestMetricsHandler(string service, ClientMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.RecordRequest(service, response.StatusCode, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch
        {
            metrics.RecordRequest(service, null, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
