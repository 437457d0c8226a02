using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using PlexSync.Clients.Metrics;

namespace PlexSync.Clients.Protection;

/// <summary>The limits one worker process keeps towards Plex.</summary>
public sealed record PlexProtectionOptions
{
    /// <summary>Gets the rate of this worker's Plex requests (plex.requests_per_second).</summary>
    public double RequestsPerSecond { get; init; } = 50;

    /// <summary>Gets how many transient failures in a row open the breaker (plex.breaker_failures).</summary>
    public int BreakerFailures { get; init; } = 5;

    /// <summary>Gets how long an open breaker sends nothing, before jitter (plex.breaker_cooldown).</summary>
    public TimeSpan BreakerCooldown { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The state one worker process shares across all its Plex requests: the circuit breaker, the hold
/// Plex asked for with a 429's Retry-After, and the request rate. A singleton per process: a 429 or
/// an outage speaks for the server, not for the one request that met it.
/// </summary>
public sealed class PlexProtection : IDisposable
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly ClientMetrics? metrics;
    private DateTimeOffset holdUntil = DateTimeOffset.MinValue;

    /// <param name="options">The limits.</param>
    /// <param name="time">The clock of the hold and the breaker.</param>
    /// <param name="logger">Where breaker state changes and holds are logged.</param>
    /// <param name="metrics">Where holds are counted; none when null.</param>
    /// <param name="limiter">The request limiter; a token bucket at <see cref="PlexProtectionOptions.RequestsPerSecond"/> when null (tests pass one they replenish by hand).</param>
    /// <param name="random">The breaker's jitter draw, for tests.</param>
    public PlexProtection(
        PlexProtectionOptions options, TimeProvider time, ILogger<PlexProtection> logger, ClientMetrics? metrics = null, RateLimiter? limiter = null, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        this.time = time;
        this.metrics = metrics;
        Logger = logger;
        Limiter = limiter ?? CreateLimiter(options.RequestsPerSecond);
        Breaker = new CircuitBreaker(options.BreakerFailures, options.BreakerCooldown, time, random);
        Breaker.Changed += (from, to) => logger.LogWarning(
            "Plex circuit breaker {From} -> {To} ({Why})", from, to, to switch
            {
                BreakerState.Open => $"{options.BreakerFailures} transient failures in a row or a failed probe; no Plex request for about {options.BreakerCooldown.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s",
                BreakerState.HalfOpen => "cool-down over; one probe request decides",
                _ => "Plex answered again",
            });
    }

    public CircuitBreaker Breaker { get; }

    public RateLimiter Limiter { get; }

    internal ILogger Logger { get; }

    /// <summary>Gets how long the last 429's Retry-After still holds every request of this worker back.</summary>
    public TimeSpan HoldRemaining
    {
        get
        {
            lock (gate)
            {
                var left = holdUntil - time.GetUtcNow();
                return left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }
        }
    }

    public void Dispose() => Limiter.Dispose();

    /// <summary>Holds every request back for <paramref name="wait"/>; a shorter hold never shortens a longer one.</summary>
    internal void Hold(TimeSpan wait)
    {
        bool longer;
        lock (gate)
        {
            var until = time.GetUtcNow() + wait;
            longer = until > holdUntil;
            if (longer)
            {
                holdUntil = until;
            }
        }

        if (longer)
        {
            metrics?.RecordPlexHold();
            Logger.LogWarning("Plex answered 429: no Plex request from this worker for {Seconds}s", wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// A token bucket holding one second of requests, refilled one token at a time: a burst after an
    /// idle second is at most the configured rate, and waiting requests are served oldest first.
    /// </summary>
    private static TokenBucketRateLimiter CreateLimiter(double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Ceiling(perSecond)),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
