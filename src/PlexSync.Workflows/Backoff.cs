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

    /// <summary>A delay in [step/2, step]: slow retries stay slow but still spread out.</summary>
    public TimeSpan HalfJitter(int attempt)
    {
        var step = Step(attempt);
        return (step / 2) + TimeSpan.FromTicks(Random.Shared.NextInt64((step.Ticks / 2) + 1));
    }
}
