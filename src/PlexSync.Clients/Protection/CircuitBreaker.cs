namespace PlexSync.Clients.Protection;

/// <summary>The state of a <see cref="CircuitBreaker"/>.</summary>
public enum BreakerState
{
    /// <summary>Requests go through.</summary>
    Closed,

    /// <summary>Requests fail fast until the cool-down ends.</summary>
    Open,

    /// <summary>One probe request is out; its outcome decides.</summary>
    HalfOpen,
}

/// <summary>
/// Stops requests to a server that keeps failing: after <see cref="Threshold"/> transient failures
/// in a row it opens for a cool-down (jittered, so that several workers do not probe at the same
/// moment), then lets one probe through, whose outcome closes or re-opens it. Safe for concurrent use.
/// </summary>
public sealed class CircuitBreaker
{
    // Up to this share of the cool-down is added at random each time the breaker opens.
    private const double JitterShare = 0.2;

    private readonly object gate = new();
    private readonly TimeProvider time;
    private readonly Func<double> random;

    private BreakerState state = BreakerState.Closed;
    private int failures;
    private DateTimeOffset openUntil;
    private bool probing;

    /// <param name="threshold">Transient failures in a row that open the breaker.</param>
    /// <param name="cooldown">How long an open breaker sends nothing (before jitter).</param>
    /// <param name="time">The clock.</param>
    /// <param name="random">A draw from [0, 1) for the jitter; <see cref="Random.Shared"/> when null.</param>
    public CircuitBreaker(int threshold, TimeSpan cooldown, TimeProvider time, Func<double>? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cooldown, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Threshold = threshold;
        Cooldown = cooldown;
        this.time = time;
        this.random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Raised outside the lock on every change: the old state, the new one.</summary>
    public event Action<BreakerState, BreakerState>? Changed;

    public int Threshold { get; }

    public TimeSpan Cooldown { get; }

    /// <summary>Gets the state as last recorded (an open breaker whose cool-down ended stays Open until the next request probes).</summary>
    public BreakerState State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    /// <summary>
    /// Whether a request may go out now; when not, <paramref name="wait"/> is how long until a probe
    /// may. A caller that is allowed must report the outcome with <see cref="Record"/>.
    /// </summary>
    public bool TryAcquire(out TimeSpan wait)
    {
        BreakerState from;
        lock (gate)
        {
            from = state;
            switch (state)
            {
                case BreakerState.Closed:
                    wait = TimeSpan.Zero;
                    return true;
                case BreakerState.Open:
                    var left = openUntil - time.GetUtcNow();
                    if (left > TimeSpan.Zero)
                    {
                        wait = left;
                        return false;
                    }

                    state = BreakerState.HalfOpen;
                    probing = true;
                    break;
                default:
                    // Half-open with the probe out: the others come back shortly, when it has decided.
                    if (probing)
                    {
                        wait = Cooldown < TimeSpan.FromSeconds(1) ? Cooldown : TimeSpan.FromSeconds(1);
                        return false;
                    }

                    probing = true;
                    wait = TimeSpan.Zero;
                    return true;
            }
        }

        Changed?.Invoke(from, BreakerState.HalfOpen);
        wait = TimeSpan.Zero;
        return true;
    }

    /// <summary>Reports an allowed request's outcome: <paramref name="failed"/> means the server could not serve it (5xx, timeout, dropped), never that it refused it.</summary>
    public void Record(bool failed)
    {
        BreakerState from, to;
        lock (gate)
        {
            from = state;
            to = from;
            if (!failed)
            {
                failures = 0;
                to = BreakerState.Closed;
            }
            else if (from == BreakerState.HalfOpen)
            {
                to = BreakerState.Open;
            }
            else if (++failures >= Threshold)
            {
                to = BreakerState.Open;
            }

            if (to == BreakerState.Open && from != BreakerState.Open)
            {
                openUntil = time.GetUtcNow() + Cooldown + (Cooldown * (JitterShare * random()));
            }

            state = to;
            probing = false;
        }

        if (to != from)
        {
            Changed?.Invoke(from, to);
        }
    }
}
