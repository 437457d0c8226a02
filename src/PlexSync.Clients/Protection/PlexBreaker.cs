using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace PlexSync.Clients.Protection;

/// <summary>
/// The Plex circuit breaker's settings for Polly: after <see cref="PlexProtectionOptions.BreakerFailures"/> transient
/// failures in a row (5xx, 408, timeouts and dropped connections; a 4xx, 429 included, proves that Plex is up) it opens
/// for the cool-down plus up to 20 % jitter, so that several workers do not probe at the same moment; then one probe
/// decides, while the others wait a second at most. Every change is logged at Warning.
/// </summary>
/// <remarks>
/// Polly's breaker counts a failure ratio over a sampling window, and a window long enough to hold the failures also
/// holds the successes from before an outage, which delays the opening. So the run of failures is counted here: an
/// outcome is a breaking failure for Polly only when it is the N-th transient failure in a row, or a half-open probe's,
/// and Polly (failure ratio 0) opens on the first one it is given. Polly counts the other outcomes as successes and
/// wants two outcomes in its window before it opens: hence N is at least 2, and the window a day.
/// </remarks>
internal sealed class PlexBreaker
{
    // Up to this share of the cool-down is added at random each time the breaker opens.
    private const double JitterShare = 0.2;

    private readonly PlexProtectionOptions options;
    private readonly CircuitBreakerStateProvider state;
    private readonly ILogger logger;
    private int failuresInRow;

    // The state last logged, for the "from" of the next change: Polly runs the callbacks one at a time, in order.
    private CircuitState logged = CircuitState.Closed;

    public PlexBreaker(PlexProtectionOptions options, CircuitBreakerStateProvider state, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BreakerFailures, PlexProtectionOptions.MinimumBreakerFailures);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BreakerCooldown, TimeSpan.Zero);
        this.options = options;
        this.state = state;
        this.logger = logger;
    }

    public CircuitBreakerStrategyOptions<HttpResponseMessage> Options(Func<double> random)
    {
        var cooldown = options.BreakerCooldown;
        return new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = args => ValueTask.FromResult(Breaks(args.Outcome)),
            FailureRatio = 0,
            MinimumThroughput = PlexProtectionOptions.MinimumBreakerFailures,
            SamplingDuration = TimeSpan.FromDays(1),
            BreakDurationGenerator = _ => ValueTask.FromResult(cooldown + (cooldown * (JitterShare * random()))),

            // While the probe is out, the others are told to come back after this (at most a second: it decides quickly).
            BreakDuration = Clamp(cooldown, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)),
            StateProvider = state,
            OnOpened = _ => ChangedAsync(
                CircuitState.Open,
                $"{options.BreakerFailures} transient failures in a row or a failed probe; no Plex request for about {cooldown.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"),
            OnHalfOpened = _ => ChangedAsync(CircuitState.HalfOpen, "cool-down over; one probe request decides"),
            OnClosed = _ => ChangedAsync(CircuitState.Closed, "Plex answered again"),
        };
    }

    private static bool Transient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is not null || (int)outcome.Result!.StatusCode is >= 500 or 408;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private bool Breaks(Outcome<HttpResponseMessage> outcome)
    {
        if (!Transient(outcome))
        {
            Interlocked.Exchange(ref failuresInRow, 0);
            return false;
        }

        return Interlocked.Increment(ref failuresInRow) >= options.BreakerFailures || state.CircuitState == CircuitState.HalfOpen;
    }

    private ValueTask ChangedAsync(CircuitState to, string why)
    {
        logger.LogWarning("Plex circuit breaker {From} -> {To} ({Why})", logged, to, why);
        logged = to;
        return ValueTask.CompletedTask;
    }
}
