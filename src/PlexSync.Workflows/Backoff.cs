namespace PlexSync.Workflows;

/// <summary>
/// An exponential backoff from <paramref name="Base"/> doubling up to <paramref name="Cap"/>, with
/// jitter. Temporal's retry policies have no jitter of their own, so when Plex restarts, thousands of
/// failed activities would otherwise come back in the same second.
/// </summary>
public sealed record Backoff(TimeSpan Base, TimeSpan Cap)
{
    /// <summary>The un-jittered delay before attempt <paramref name="attempt"/> + 1.</summary>
    public TimeSpan Step(int attempt)
    {
        var delay = Base;
        for (var i = 1; i < attempt && delay < Cap; i++)
        {
            delay *= 2;
        }

        return delay < Cap ? delay : Cap;
    }

    /// <summary>A delay drawn uniformly from [1 ms, step]; a zero delay would mean "unset".</summary>
    public TimeSpan FullJitter(int attempt)
    {
        var step = Step(attempt);
        var drawn = TimeSpan.FromTicks(Random.Shared.NextInt64(step.Ticks + 1));
        return drawn < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : drawn;
    }

    /// <summary>
    /// The server's floor on retry timers: Temporal server 1.29 holds back a timer due sooner than about
    /// 1 s (history.timerProcessorMaxTimeShift) and fires it at 1 s, measured 1000 to 1004 ms. A draw
    /// below it is not a spread at all: every such retry fires in the same millisecond window.
    /// </summary>
    public static readonly TimeSpan TimerFloor = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A delay drawn uniformly from [<see cref="TimerFloor"/>, <see cref="TimerFloor"/> + step]: full
    /// jitter shifted above the server's floor, so that the spread survives it. Failures of the same
    /// moment come back spread over at least one second (the first retry) and over step after that.
    /// </summary>
    public TimeSpan FloorJitter(int attempt)
    {
        var step = Step(attempt);
        return TimerFloor + TimeSpan.FromTicks(Random.Shared.NextInt64(step.Ticks + 1));
    }

    /// <summary>A delay in [step/2, step]: slow retries stay slow but still spread out.</summary>
    public TimeSpan HalfJitter(int attempt)
    {
        var step = Step(attempt);
        return (step / 2) + TimeSpan.FromTicks(Random.Shared.NextInt64((step.Ticks / 2) + 1));
    }
}
