using System.Threading.RateLimiting;

namespace PlexSync.Clients.Protection;

/// <summary>
/// A token bucket holding one second of requests, refilled one token at a time, that works its tokens out when a
/// request asks (from the time since it last did) instead of on a timer: an idle worker wakes for nothing. A burst
/// after an idle second is at most the rate, and waiting requests are served oldest first. While some wait, one
/// delay at a time (a token's period) refills the bucket for them, and stops when none waits.
/// </summary>
internal sealed class OnDemandTokenBucket : RateLimiter
{
    private readonly TokenBucketRateLimiter bucket;
    private readonly TimeProvider time;
    private readonly TimeSpan period;
    private int refilling;

    public OnDemandTokenBucket(double perSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
        period = TimeSpan.FromSeconds(1 / perSecond);
        bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Ceiling(perSecond)),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = false,
        });
    }

    public override TimeSpan? IdleDuration => bucket.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => bucket.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        bucket.TryReplenish();
        return bucket.AttemptAcquire(permitCount);
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        bucket.TryReplenish();
        var lease = bucket.AcquireAsync(permitCount, cancellationToken);
        if (!lease.IsCompleted)
        {
            StartRefilling();
        }

        return lease;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            bucket.Dispose();
        }

        base.Dispose(disposing);
    }

    private void StartRefilling()
    {
        if (Interlocked.Exchange(ref refilling, 1) == 0)
        {
            _ = RefillAsync();
        }
    }

    private async Task RefillAsync()
    {
        try
        {
            do
            {
                await Task.Delay(period, time);
                bucket.TryReplenish();
            }
            while (Waiting());
        }
        catch (ObjectDisposedException)
        {
            // Disposed while requests waited: the bucket failed their leases.
            return;
        }

        Volatile.Write(ref refilling, 0);

        // A request that queued while this loop was ending found it running and did not start another.
        if (Waiting())
        {
            StartRefilling();
        }
    }

    private bool Waiting() => bucket.GetStatistics() is { CurrentQueuedCount: > 0 };
}
