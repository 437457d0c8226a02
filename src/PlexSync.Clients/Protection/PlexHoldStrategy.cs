using System.Net;
using PlexSync.Clients.Http;
using Polly;

namespace PlexSync.Clients.Protection;

/// <summary>
/// The worker-wide 429 hold, a strategy of the Plex pipeline: a request fails fast while a hold runs, and a 429's
/// Retry-After holds every request of the worker back. Polly has no strategy that rejects every request for a time a
/// server's answer gives: its breaker comes closest, but lets one probe through after the wait instead of all, does
/// not lengthen an open break for a longer Retry-After, and its break duration cannot see the answer.
/// </summary>
internal sealed class PlexHoldStrategy(PlexProtection protection, TimeProvider time) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        var hold = protection.HoldRemaining;
        if (hold > TimeSpan.Zero)
        {
            return Outcome.FromException<HttpResponseMessage>(new PlexHeldException(hold));
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response)
        {
            var retryAfter = response.Headers.NonValidated.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            var delay = HttpOutcome.ParseRetryAfter(retryAfter, time.GetUtcNow());
            if (delay > TimeSpan.Zero)
            {
                protection.Hold(delay);
            }
        }

        return outcome;
    }
}

/// <summary>A request that the 429 hold kept from Plex; <see cref="RetryAfter"/> is what remains of the hold.</summary>
internal sealed class PlexHeldException(TimeSpan retryAfter) : ExecutionRejectedException("not sent: Plex asked (429) for no requests for a while")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
