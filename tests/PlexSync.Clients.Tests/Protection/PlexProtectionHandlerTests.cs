using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using PlexSync.Clients.Protection;
using Polly.CircuitBreaker;

namespace PlexSync.Clients.Tests.Protection;

public sealed class PlexProtectionHandlerTests : IDisposable
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);

    private readonly ManualTime time = new();
    private readonly ListLogger<PlexProtection> log = new();
    private readonly Queue<Func<Task<HttpResponseMessage>>> answers = new();
    private readonly StubHandler inner;
    private readonly PlexProtection protection;
    private readonly PlexClient plex;

    public PlexProtectionHandlerTests()
    {
        inner = new StubHandler((_, _) => answers.Count > 0 ? answers.Dequeue()() : Task.FromResult(Ok()));

        // No jitter draw (0): the cool-down is exactly 30 s, so that the test can step over it.
        protection = new PlexProtection(
            new PlexProtectionOptions { BreakerFailures = 3, BreakerCooldown = Cooldown, RequestsPerSecond = 1000 }, time, log, random: () => 0);
        plex = Clients.Plex(new PlexProtectionHandler(protection) { InnerHandler = inner });
    }

    public void Dispose() => protection.Dispose();

    [Fact]
    public async Task Breaker_OpensAfterThresholdTransientFailures_ThenFailsFastWithTheRemainingCooldown()
    {
        for (var i = 0; i < 3; i++)
        {
            Answer(() => Status(HttpStatusCode.ServiceUnavailable));
            var ex = await Assert.ThrowsAsync<ServiceException>(Sections);
            Assert.Equal(FailureKind.Transient, ex.Kind);
        }

        Assert.Equal(CircuitState.Open, protection.BreakerState);
        time.Advance(TimeSpan.FromSeconds(10));

        var open = await Assert.ThrowsAsync<ServiceException>(Sections);

        Assert.Equal(FailureKind.CircuitOpen, open.Kind);
        Assert.Equal(TimeSpan.FromSeconds(20), open.RetryAfter);
        Assert.Contains("not sent", open.Message);
        Assert.Equal(3, inner.Requests.Count); // the open breaker sent nothing
        var warning = Assert.Single(log.Entries, e => e.Message.Contains("Closed -> Open", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task Breaker_CooldownCarriesJitter()
    {
        using var jittered = new PlexProtection(
            new PlexProtectionOptions { BreakerFailures = 2, BreakerCooldown = Cooldown }, time, log, random: () => 0.5);
        var client = Clients.Plex(new PlexProtectionHandler(jittered) { InnerHandler = StubHandler.Status(HttpStatusCode.BadGateway) });
        await Assert.ThrowsAsync<ServiceException>(() => client.SectionsAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ServiceException>(() => client.SectionsAsync(CancellationToken.None));

        var open = await Assert.ThrowsAsync<ServiceException>(() => client.SectionsAsync(CancellationToken.None));

        // 30 s plus half of the 20 % jitter share.
        Assert.Equal(TimeSpan.FromSeconds(33), open.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task Breaker_ClientErrorsNeverCount(HttpStatusCode status)
    {
        for (var i = 0; i < 10; i++)
        {
            Answer(() => Status(status));
            await Assert.ThrowsAsync<ServiceException>(Sections);
        }

        Assert.Equal(CircuitState.Closed, protection.BreakerState);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task Breaker_DroppedConnectionsAndTimeoutsCount_ASuccessInBetweenResets()
    {
        Answer(() => throw new HttpRequestException("connection reset"));
        Answer(() => throw new HttpRequestException("connection reset"));
        Answer(Ok);
        Answer(() => throw new HttpRequestException("connection reset"));
        Answer(() => throw new HttpRequestException("connection reset"));
        for (var i = 0; i < 5; i++)
        {
            try
            {
                await Sections();
            }
            catch (ServiceException e) when (e.Kind == FailureKind.Transient)
            {
            }
        }

        Assert.Equal(CircuitState.Closed, protection.BreakerState); // never 3 in a row
        Answer(() => throw new HttpRequestException("connection reset"));
        await Assert.ThrowsAsync<ServiceException>(Sections);
        Assert.Equal(CircuitState.Open, protection.BreakerState);
    }

    [Fact]
    public async Task Breaker_AfterCooldown_OneProbeDecides_OthersWaitForIt()
    {
        await OpenAsync();
        time.Advance(Cooldown);
        var release = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        answers.Enqueue(async () => await release.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var probe = Task.Run(Sections);
        await Wait.UntilAsync(() => protection.BreakerState == CircuitState.HalfOpen && inner.Requests.Count == 4);

        var other = await Assert.ThrowsAsync<ServiceException>(Sections);
        Assert.Equal(FailureKind.CircuitOpen, other.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), other.RetryAfter);

        release.SetResult(Ok());
        await probe.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CircuitState.Closed, protection.BreakerState);
        await Sections();
        Assert.Equal(
            ["Closed -> Open", "Open -> HalfOpen", "HalfOpen -> Closed"],
            log.Entries.Select(e => e.Message[(e.Message.IndexOf("breaker ", StringComparison.Ordinal) + 8)..e.Message.IndexOf(" (", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task Breaker_FailedProbe_OpensAgainForAFullCooldown()
    {
        await OpenAsync();
        time.Advance(Cooldown);
        Answer(() => Status(HttpStatusCode.InternalServerError));
        await Assert.ThrowsAsync<ServiceException>(Sections);

        var open = await Assert.ThrowsAsync<ServiceException>(Sections);

        Assert.Equal(CircuitState.Open, protection.BreakerState);
        Assert.Equal(Cooldown, open.RetryAfter);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("Mon, 23 Nov 2026 12:00:02 GMT")]
    public async Task TooManyRequests_HoldsEveryRequestOfTheWorker_UntilRetryAfter(string retryAfter)
    {
        Answer(() => Status(HttpStatusCode.TooManyRequests, retryAfter));
        var first = await Assert.ThrowsAsync<ServiceException>(Sections);
        Assert.Equal(FailureKind.RateLimited, first.Kind);
        time.Advance(TimeSpan.FromMilliseconds(500));

        // Another request, to another path: it is held too, with what remains of the wait.
        var held = await Assert.ThrowsAsync<ServiceException>(() => plex.ItemAsync("7", CancellationToken.None));

        Assert.Equal(FailureKind.RateLimited, held.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1.5), held.RetryAfter);
        Assert.Contains("not sent", held.Message);
        Assert.Single(inner.Requests);
        Assert.Equal(CircuitState.Closed, protection.BreakerState); // a 429 proves Plex is up
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("429", StringComparison.Ordinal));

        time.Advance(TimeSpan.FromSeconds(1.5));
        await Sections();
        Assert.Equal(2, inner.Requests.Count);
    }

    [Fact]
    public async Task TooManyRequests_AShorterHoldNeverShortensALongerOne()
    {
        Answer(() => Status(HttpStatusCode.TooManyRequests, "10"));
        await Assert.ThrowsAsync<ServiceException>(Sections);
        protection.Hold(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(10), protection.HoldRemaining);
    }

    [Fact]
    public async Task RequestRate_WaitsForAToken_BoundedByTheRequestsCancellation()
    {
        // A bucket of one token that only the test refills: no timer, no sleep.
        using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            // Manual replenishment still skips a period that has not elapsed: a tick has, always.
            ReplenishmentPeriod = TimeSpan.FromTicks(1),
            QueueLimit = 100,
            AutoReplenishment = false,
        });
        using var limited = new PlexProtection(new PlexProtectionOptions(), time, log, limiter: limiter);
        var stub = StubHandler.Json("""{"MediaContainer": {"Directory": []}}""");
        var client = Clients.Plex(new PlexProtectionHandler(limited) { InnerHandler = stub });

        await client.SectionsAsync(CancellationToken.None);
        var waiting = client.SectionsAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = client.SectionsAsync(cancel.Token);

        Assert.False(waiting.IsCompleted);
        Assert.Single(stub.Requests);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(waiting.IsCompleted);

        Assert.True(limiter.TryReplenish());
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, stub.Requests.Count);
    }

    private void Answer(Func<HttpResponseMessage> answer) => answers.Enqueue(() => Task.FromResult(answer()));

    private static HttpResponseMessage Ok() =>
        StubHandler.Answer(HttpStatusCode.OK, """{"MediaContainer": {"Directory": []}}""", "application/json");

    private static HttpResponseMessage Status(HttpStatusCode status, string? retryAfter = null)
    {
        var response = StubHandler.Answer(status, "<html>error</html>", "text/html");
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    private Task Sections() => plex.SectionsAsync(CancellationToken.None);

    private async Task OpenAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            Answer(() => Status(HttpStatusCode.ServiceUnavailable));
            await Assert.ThrowsAsync<ServiceException>(Sections);
        }

        Assert.Equal(CircuitState.Open, protection.BreakerState);
    }
}
