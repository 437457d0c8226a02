using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using PlexSync.Clients.Metrics;
using Polly;
using Polly.CircuitBreaker;

namespace PlexSync.Clients.Protection;

/// <summary>The limits one worker process keeps towards Plex.</summary>
public sealed record PlexProtectionOptions
{
    /// <summary>The fewest transient failures in a row that may open the breaker: Polly's breaker wants two outcomes.</summary>
    public const int MinimumBreakerFailures = 2;

    /// <summary>Gets the rate of this worker's Plex requests (plex.requests_per_second).</summary>
    public double RequestsPerSecond { get; init; } = 50;

    /// <summary>Gets how many transient failures in a row open the breaker (plex.breaker_failures), at least 2.</summary>
    public int BreakerFailures { get; init; } = 5;

    /// <summary>Gets how long an open breaker sends nothing, before jitter (plex.breaker_cooldown).</summary>
    public TimeSpan BreakerCooldown { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// What one worker process shares across all its Plex requests, as one resilience pipeline: the request rate, then the
/// hold Plex asked for with a 429's Retry-After (<see cref="PlexHoldStrategy"/>), then Polly's circuit breaker
/// (<see cref="PlexBreaker"/>). A singleton per process: a 429 or an outage speaks for the server, not for the one
/// request that met it.
/// </summary>
public sealed class PlexProtection : IDisposable
{
    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly ClientMetrics? metrics;
    private readonly ILogger logger;
    private readonly RateLimiter limiter;
    private readonly CircuitBreakerStateProvider breaker = new();
    private DateTimeOffset holdUntil = DateTimeOffset.MinValue;

    /// <param name="options">The limits.</param>
    /// <param name="time">The clock of the hold and the breaker.</param>
    /// <param name="logger">Where breaker state changes and holds are logged.</param>
    /// <param name="metrics">Where holds are counted; none when null.</param>
    /// <param name="limiter">The request limiter; an <see cref="OnDemandTokenBucket"/> at <see cref="PlexProtectionOptions.RequestsPerSecond"/> when null (tests pass one they replenish by hand).</param>
    /// <param name="random">The breaker's jitter draw, for tests.</param>
    public PlexProtection(
        PlexProtectionOptions options, TimeProvider time, ILogger<PlexProtection> logger, ClientMetrics? metrics = null, RateLimiter? limiter = null, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        this.limiter = limiter ?? new OnDemandTokenBucket(options.RequestsPerSecond, time);
        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRateLimiter(this.limiter)
            .AddStrategy(_ => new PlexHoldStrategy(this, time))
            .AddCircuitBreaker(new PlexBreaker(options, breaker, logger).Options(random ?? Random.Shared.NextDouble))
            .Build();
    }

    /// <summary>Gets the pipeline every Plex request goes through (<see cref="PlexProtectionHandler"/>).</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Gets the breaker's state as last recorded (an open breaker whose cool-down ended stays Open until the next request probes).</summary>
    public CircuitState BreakerState => breaker.CircuitState;

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

    public void Dispose() => limiter.Dispose();

    /// <summary>The failure a request that the pipeline did not send meets, with how long to wait: RateLimited or CircuitOpen.</summary>
    internal static ServiceException NotSent(string operation, ExecutionRejectedException rejected) => rejected switch
    {
        PlexHeldException held => new ServiceException(
            PlexClient.ServiceName, operation, FailureKind.RateLimited, 0, $"not sent: Plex asked (429) for no requests for {Seconds(held.RetryAfter)}s more", held.RetryAfter, rejected),
        BrokenCircuitException open => new ServiceException(
            PlexClient.ServiceName, operation, FailureKind.CircuitOpen, 0,
            $"not sent: Plex failed repeatedly, so this worker waits {Seconds(Wait(open))}s before trying again", Wait(open), rejected),
        _ => new ServiceException(
            PlexClient.ServiceName, operation, FailureKind.RateLimited, 0, "not sent: this worker's request limiter refused it", TimeSpan.FromSeconds(1), rejected),
    };

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
            logger.LogWarning("Plex answered 429: no Plex request from this worker for {Seconds}s", Seconds(wait));
        }
    }

    // What remains of the cool-down, or of a half-open probe's turn; never less than nothing.
    private static TimeSpan Wait(BrokenCircuitException open) => open.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
