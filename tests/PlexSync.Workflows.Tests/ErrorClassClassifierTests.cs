using PlexSync.Clients;

namespace PlexSync.Workflows.Tests;

/// <summary>How the classifier turns each failure into an error class, and the floor-jittered backoff.</summary>
public sealed class ErrorClassClassifierTests
{
    private static readonly ActivityPolicy Policy = ActivityPolicies.For(new RetryTuning())[ActivityPolicies.ApplyMetadata];

    [Theory]
    [InlineData(500, 1, false)]
    [InlineData(500, ActivityPolicies.ServerErrorAttempts - 1, false)]
    [InlineData(500, ActivityPolicies.ServerErrorAttempts, true)]
    [InlineData(503, 100, false)]
    [InlineData(0, 100, false)]
    public void Transient_Only500IsBounded(int status, int attempt, bool final)
    {
        var failure = FailureClassifier.Classify(new ServiceException("plex", "GET /x", FailureKind.Transient, status, "boom"), Policy, attempt);

        Assert.NotNull(failure);
        Assert.Equal(ErrorTypes.Unavailable, failure.ErrorType);
        Assert.Equal(final, failure.NonRetryable);
    }

    [Fact]
    public void WrongUrl_IsAFinalConfigError()
    {
        var failure = FailureClassifier.Classify(new ServiceException("plex", "GET /library/sections", FailureKind.WrongUrl, 404, "check plex.url"), Policy, 1);

        Assert.Equal(ErrorTypes.ConfigError, failure?.ErrorType);
        Assert.True(failure?.NonRetryable);
        Assert.Contains("check plex.url", failure?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conflict_IsRetried()
    {
        var failure = FailureClassifier.Classify(new ServiceException("plex", "PUT /library/sections/1/all", FailureKind.Conflict, 409, "Conflict"), Policy, 1);

        Assert.Equal(ErrorTypes.Unavailable, failure?.ErrorType);
        Assert.False(failure?.NonRetryable);
    }

    [Fact]
    public void FloorJitter_DrawsFromAboveTheServersTimerFloor_AndSpreads()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var draws = Enumerable.Range(0, 1000).Select(_ => backoff.FloorJitter(1)).ToList();

        Assert.All(draws, d => Assert.InRange(d, Backoff.TimerFloor, Backoff.TimerFloor + TimeSpan.FromSeconds(1)));

        // Ten 100 ms buckets over [1 s, 2 s]: uniform draws fill every one of them.
        Assert.Equal(10, draws.Select(d => Math.Min(9, (int)((d - Backoff.TimerFloor).TotalMilliseconds / 100))).Distinct().Count());
        Assert.All(Enumerable.Range(0, 100).Select(_ => backoff.FloorJitter(4)), d => Assert.InRange(d, Backoff.TimerFloor, Backoff.TimerFloor + TimeSpan.FromSeconds(8)));
    }
}
