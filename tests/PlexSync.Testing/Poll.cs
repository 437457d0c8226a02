namespace PlexSync.Testing;

/// <summary>
/// Waits for a condition that nothing signals (visibility, a schedule's description, a file another
/// process writes) by asking again every 50 ms, within a bound: the one polling loop of these tests.
/// </summary>
public static class Poll
{
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cts = new CancellationTokenSource(limit);
        while (!await condition(cts.Token))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cts.Token);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan limit) =>
        UntilAsync(_ => Task.FromResult(condition()), limit);
}
