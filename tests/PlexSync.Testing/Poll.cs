using System.Globalization;

namespace PlexSync.Testing;

/// <summary>
/// Waits for a condition that nothing signals (visibility, a schedule's description, a file another
/// process writes) by asking again every 50 ms, within a bound: the one polling loop of these tests.
/// A wait that runs out fails naming what it waited for and, where given, the last state it saw.
/// </summary>
public static class Poll
{
    /// <param name="condition">Asked until it is true.</param>
    /// <param name="limit">How long to ask.</param>
    /// <param name="waitingFor">What the condition means, for the failure: "the worker polling both queues".</param>
    /// <param name="lastSeen">The state the failure reports, e.g. the item's title now; none when null.</param>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan limit, string waitingFor, Func<string>? lastSeen = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var cts = new CancellationTokenSource(limit);
        try
        {
            while (!await condition(cts.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cts.Token);
            }
        }
        catch (OperationCanceledException e) when (cts.IsCancellationRequested)
        {
            var seen = lastSeen is null ? "" : "; last seen: " + lastSeen();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"gave up after {limit.TotalSeconds:0.#} s waiting for {waitingFor}{seen}"), e);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{CancellationToken, Task{bool}}, TimeSpan, string, Func{string}?)"/>
    public static Task UntilAsync(Func<bool> condition, TimeSpan limit, string waitingFor, Func<string>? lastSeen = null) =>
        UntilAsync(_ => Task.FromResult(condition()), limit, waitingFor, lastSeen);
}
