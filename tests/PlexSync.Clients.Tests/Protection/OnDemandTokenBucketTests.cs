using PlexSync.Clients.Protection;

namespace PlexSync.Clients.Tests.Protection;

/// <summary>The request rate works its tokens out when asked: no timer while idle, one delay at a time while requests wait.</summary>
public sealed class OnDemandTokenBucketTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Idle_AndWithinTheBurst_StartsNoTimer()
    {
        var time = new TimerCount();
        using var limiter = new OnDemandTokenBucket(5, time);

        for (var i = 0; i < 5; i++)
        {
            using var lease = await limiter.AcquireAsync(1);
            Assert.True(lease.IsAcquired);
        }

        Assert.Equal(0, time.Created);
    }

    [Fact]
    public async Task PastTheBurst_TheNextWaitsForAToken_ThenTheTimersStop()
    {
        var time = new TimerCount();
        using var limiter = new OnDemandTokenBucket(2, time);
        for (var i = 0; i < 2; i++)
        {
            (await limiter.AcquireAsync(1)).Dispose();
        }

        var waiting = limiter.AcquireAsync(1).AsTask();
        var behind = limiter.AcquireAsync(1).AsTask();

        Assert.False(waiting.IsCompleted && behind.IsCompleted, "two tokens were there after a burst of the whole bucket");
        using (var lease = await waiting.WaitAsync(Limit))
        {
            Assert.True(lease.IsAcquired);
        }

        (await behind.WaitAsync(Limit)).Dispose();
        Assert.True(time.Created > 0, "nothing refilled the bucket for the waiting requests");
        await Wait.UntilAsync(() => time.Alive == 0);
    }

    [Fact]
    public async Task AWaitingRequest_IsCancelledByItsToken()
    {
        using var limiter = new OnDemandTokenBucket(1, new TimerCount());
        (await limiter.AcquireAsync(1)).Dispose();
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.AcquireAsync(1, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Limit));
    }

    /// <summary>The system clock, counting the timers it creates and those still alive (a Task.Delay's timer dies when it fires).</summary>
    private sealed class TimerCount : TimeProvider
    {
        private int created;
        private int alive;

        public int Created => Volatile.Read(ref created);

        public int Alive => Volatile.Read(ref alive);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref created);
            Interlocked.Increment(ref alive);
            return new Counted(System.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class Counted(ITimer inner, TimerCount owner) : ITimer
        {
            private int disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref owner.alive);
                }

                inner.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
