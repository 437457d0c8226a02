using Polly;

namespace PlexSync.Clients.Protection;

/// <summary>
/// Sits between the Plex typed client and the socket and sends each request through the worker's
/// <see cref="PlexProtection.Pipeline"/>, in this order:
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
internal sealed class PlexProtectionHandler(PlexProtection protection) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            // A refused or dropped connection, or a timeout, counts against the breaker. HttpClient's timeout cancels
            // the same token as the caller, so a caller's cancellation counts too: rare (a worker stopping), and at
            // worst one failure towards the threshold.
            return await protection.Pipeline.ExecuteAsync(async ct => await base.SendAsync(request, ct), cancellationToken);
        }
        catch (ExecutionRejectedException e)
        {
            throw PlexProtection.NotSent($"{request.Method.Method} {request.RequestUri?.AbsolutePath}", e);
        }
    }
}
