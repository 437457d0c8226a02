using PlexSync.Hosting;
using PlexSync.Workflows;
using Temporalio.Exceptions;

namespace PlexSync.Tests.Hosting;

public sealed class HealthAnswerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ready_AnswersOkOnBothPaths()
    {
        var ready = new Readiness(true, "ready", Now);

        Assert.Equal((200, "ok\n"), MetricsEndpoint.Answer("/healthz", ready, Now));
        Assert.Equal((200, "ready\n"), MetricsEndpoint.Answer("/readyz/", ready, Now));
        Assert.Null(MetricsEndpoint.Answer("/metrics-not", ready, Now));
    }

    [Fact]
    public void NotPolling_IsLiveButNotReady_AndSaysWhy()
    {
        var notReady = new Readiness(false, "the server does not list this worker (1@h) polling task queue q", Now);

        Assert.Equal(200, MetricsEndpoint.Answer("/healthz", notReady, Now)!.Value.Status);
        Assert.Equal((503, "not ready: the server does not list this worker (1@h) polling task queue q\n"), MetricsEndpoint.Answer("/readyz", notReady, Now));
    }

    [Fact]
    public void ACheckThatStoppedRunning_IsNotLive()
    {
        var stale = new Readiness(true, "ready", Now - (WorkerHeartbeat.Interval * 3));

        Assert.Equal(503, MetricsEndpoint.Answer("/healthz", stale, Now)!.Value.Status);
        Assert.Equal(200, MetricsEndpoint.Answer("/healthz", stale with { CheckedAt = Now - WorkerHeartbeat.Interval }, Now)!.Value.Status);
    }

    [Theory]
    [InlineData(false, false, 1)]
    [InlineData(false, true, 1)]
    [InlineData(true, true, 15)]
    public void TheCheck_RunsAgain_UntilReadyOrWhileSomethingReadsIt(bool ready, bool read, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WorkerHeartbeat.NextCheck(ready, read));

    [Fact]
    public void TheCheck_StopsOnceReady_WhenNothingReadsIt() => Assert.Null(WorkerHeartbeat.NextCheck(ready: true, read: false));

    [Theory]
    [InlineData(ErrorTypes.AuthFailed, ErrorTypes.AuthFailed)]
    [InlineData(ErrorTypes.NotInPlexYet, ErrorTypes.NotInPlexYet)]
    [InlineData("Something the scene's title says", SyncOutcomeInterceptor.OtherError)]
    [InlineData(null, SyncOutcomeInterceptor.OtherError)]
    public void ErrorTypeLabel_IsAKnownTypeOrOther(string? type, string label) =>
        Assert.Equal(label, SyncOutcomeInterceptor.ErrorTypeOf(new ApplicationFailureException("m", errorType: type)));
}
