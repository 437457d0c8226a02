using System.Globalization;
using PlexSync.Clients.Http;

namespace PlexSync.Clients.Protection;

/// <summary>
/// Sits between the Plex typed client and the socket and protects Plex from this worker. For each
/// request, in this order:
/// <list type="number">
/// <item>waits for a token of the request rate (bounded by the request's cancellation), first, so
/// that the checks below see the state at the moment of sending, not at the moment of asking: a
/// request that waited while a 429 arrived must not go out;</item>
/// <item>fails fast as RateLimited while a 429's Retry-After holds the worker back, with the
/// remaining wait;</item>
/// <item>fails fast as CircuitOpen while the breaker is open, with the remaining cool-down; last
/// of the checks, because letting a half-open breaker's probe through commits to sending it;</item>
/// <item>sends, then tells the breaker whether Plex could serve (5xx, 408, timeouts and dropped
/// connections count against it; 4xx, 429 included, prove that Plex is up) and starts a hold on a 429.</item>
/// </list>
/// </summary>
public sealed class PlexProtectionHandler(PlexProtection protection, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = $"{request.Method.Method} {request.RequestUri?.AbsolutePath}";
        using (var lease = await protection.Limiter.AcquireAsync(1, cancellationToken))
        {
            if (!lease.IsAcquired)
            {
                throw new ServiceException(PlexClient.ServiceName, operation, FailureKind.RateLimited, 0, "not sent: this worker's request limiter refused it", TimeSpan.FromSeconds(1));
            }
        }

        var hold = protection.HoldRemaining;
        if (hold > TimeSpan.Zero)
        {
            throw new ServiceException(PlexClient.ServiceName, operation, FailureKind.RateLimited, 0,
                $"not sent: Plex asked (429) for no requests for {Seconds(hold)}s more", hold);
        }

        if (!protection.Breaker.TryAcquire(out var wait))
        {
            throw new ServiceException(PlexClient.ServiceName, operation, FailureKind.CircuitOpen, 0,
                $"not sent: Plex failed repeatedly, so this worker waits {Seconds(wait)}s before trying again", wait);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch
        {
            // A refused or dropped connection, or a timeout. HttpClient's timeout cancels the same
            // token as the caller, so a caller's cancellation counts too: rare (a worker stopping),
            // and at worst one failure towards the threshold.
            protection.Breaker.Record(failed: true);
            throw;
        }

        var status = (int)response.StatusCode;
        protection.Breaker.Record(failed: status is >= 500 or 408);
        if (status == 429)
        {
            var retryAfter = response.Headers.NonValidated.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            var delay = HttpOutcome.ParseRetryAfter(retryAfter, time.GetUtcNow());
            if (delay > TimeSpan.Zero)
            {
                protection.Hold(delay);
            }
        }

        return response;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
