using PlexSync.Operations;

namespace PlexSync.Tests.Operations;

public sealed class StatusWarningTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void NoSuccessForLongerThanTwoScheduleIntervalsAndAnHour_Warns()
    {
        var schedule = new ScheduleStatus("plexsync-reconcile", true, false, null, TimeSpan.FromHours(6));

        // A reconciliation still running 6 h after the last one finished is no reason to warn.
        Assert.DoesNotContain(StatusWarnings.Warnings(Report(Now.AddHours(-12), schedule)), w => w.Contains("no sync has succeeded", StringComparison.Ordinal));
        var warning = Assert.Single(StatusWarnings.Warnings(Report(Now.AddHours(-14), schedule)));
        Assert.StartsWith("no sync has succeeded and no reconciliation finished for more than 13h0m0s", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnActiveSchedule_TheLimitIsADay()
    {
        var paused = new ScheduleStatus("plexsync-reconcile", true, true, null, TimeSpan.FromHours(6));
        var none = new ScheduleStatus("plexsync-reconcile", false, false, null);

        Assert.Equal(TimeSpan.FromDays(1), StatusWarnings.SuccessLimit(paused));
        Assert.Equal(TimeSpan.FromDays(1), StatusWarnings.SuccessLimit(none));
        Assert.Empty(StatusWarnings.Warnings(Report(Now.AddHours(-7), none)));
        Assert.Contains("for more than a day", Assert.Single(StatusWarnings.Warnings(Report(Now.AddHours(-25), none))), StringComparison.Ordinal);
    }

    [Fact]
    public void AQueueNoWorkerPolls_WarnsNamingIt()
    {
        var report = Report(Now, new ScheduleStatus("s", false, false, null)) with
        {
            Workers = [new QueueStatus("q", "workflows", 1, Now), new QueueStatus("q-plex", "Plex activities", 0, null)],
        };

        var warning = Assert.Single(StatusWarnings.Warnings(report));
        Assert.StartsWith("no worker has polled task queue q-plex (Plex activities)", warning, StringComparison.Ordinal);
    }

    private static StatusReport Report(DateTime lastSuccess, ScheduleStatus schedule) => new()
    {
        At = Now,
        Running = new RunningSyncs(0, []),
        Last24h = new Dictionary<string, long>(),
        LastSuccess = lastSuccess,
        Reconciliation = new ReconcileStatus(false, null, null),
        Schedule = schedule,
        Spool = new SpoolStatus("/tmp/spool", 0),
        Workers = [new QueueStatus("q", "workflows", 1, Now), new QueueStatus("q-plex", "Plex activities", 1, Now)],
    };
}
