using PlexSync.Operations;
using PlexSync.Workflows;

namespace PlexSync.Tests.Operations;

public sealed class BreakerStatusTests
{
    private static readonly DateTime Started = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Breaker_NoSyncRunning_SaysThereIsNothingToShow() =>
        Assert.StartsWith("nothing to show", StatusWarnings.Breaker(new RunningSyncs(0, [])));

    [Fact]
    public void Breaker_ASyncWaitsOnPlexCircuitOpen_IsOpenInAWorker_AndWarns()
    {
        var running = new RunningSyncs(12, [
            new RunningSync("1", Started, ErrorTypes.PlexCircuitOpen, 3),
            new RunningSync("2", Started, ErrorTypes.Unavailable, 2),
            new RunningSync("3", Started, null, null)]);

        var line = StatusWarnings.Breaker(running);

        Assert.Equal($"open in at least one worker: 1 of the 3 oldest running syncs wait on PlexCircuitOpen ({StatusReport.BreakerScope})", line);
        var report = new StatusReport
        {
            At = Started,
            Running = running,
            Last24h = new Dictionary<string, long>(),
            LastSuccess = Started,
            Reconciliation = new ReconcileStatus(false, null, null),
            Schedule = new ScheduleStatus("s", true, false, null),
            Spool = new SpoolStatus("/tmp/spool", 0),
        };
        Assert.Contains(StatusWarnings.Warnings(report), w => w.Contains("circuit breaker", StringComparison.Ordinal));
    }

    [Fact]
    public void Breaker_SyncsRunWithoutPlexCircuitOpen_IsNotSeenOpen_NotClaimedClosed() =>
        Assert.StartsWith("not seen open: none of the 1 oldest", StatusWarnings.Breaker(new RunningSyncs(1, [new RunningSync("1", Started, null, null)])));
}
