using System.Reflection;
using PlexSync.Clients;
using PlexSync.Domain;
using Temporalio.Activities;

namespace PlexSync.Workflows.Tests;

/// <summary>The one policy table, the jitter of its backoffs, and the one place errors meet retries.</summary>
public sealed class ActivityPoliciesTests
{
    private static readonly RetryTuning Tuning = SyncHarness.ShortTuning;

    [Fact]
    public void Backoff_Jitter_StaysInBoundsAndSpreads()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var want = TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, attempt - 1)));
            Assert.Equal(want, backoff.Step(attempt));
            var seen = new HashSet<TimeSpan>();
            for (var i = 0; i < 200; i++)
            {
                var full = backoff.FullJitter(attempt);
                Assert.InRange(full, TimeSpan.FromMilliseconds(1), want);
                seen.Add(full);
                Assert.InRange(backoff.HalfJitter(attempt), want / 2, want);
            }

            // 200 draws from a range this wide must not all coincide: that would be lockstep.
            Assert.True(seen.Count >= 50, $"attempt {attempt}: only {seen.Count} distinct delays in 200 draws");
        }
    }

    [Fact]
    public void For_EveryActivity_HasACompletePolicy_AndEveryPolicyAnActivity()
    {
        var table = ActivityPolicies.For(Tuning);

        // The failure classifier finds an activity's policy by its name: an activity without one would fail unclassified.
        var activities = typeof(SyncActivities).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<ActivityAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.Contains(ActivityPolicies.CheckScenes, activities);
        Assert.Equal(table.Keys.Order(StringComparer.Ordinal), activities.Order(StringComparer.Ordinal));
        foreach (var name in activities)
        {
            Assert.True(table.TryGetValue(name, out var p), $"no policy for {name}");
            Assert.True(p.StartToClose > TimeSpan.Zero && p.ScheduleToClose >= p.StartToClose, $"{name}: timeouts {p}");
            Assert.True(p.Backoff.Base > TimeSpan.Zero && p.Backoff.Cap >= p.Backoff.Base, $"{name}: backoff {p.Backoff}");
            Assert.True(p.SlowBackoff.Base > TimeSpan.Zero && p.SlowBackoff.Cap >= p.SlowBackoff.Base, $"{name}: slow backoff {p.SlowBackoff}");
            foreach (var type in new[] { ErrorTypes.AuthFailed, ErrorTypes.Rejected, ErrorTypes.InvalidScene, ErrorTypes.AmbiguousMatch, ErrorTypes.ConfigError, ErrorTypes.PlexItemGone })
            {
                Assert.Contains(type, p.Retry.NonRetryableErrorTypes ?? []);
            }

            foreach (var type in new[] { ErrorTypes.Unavailable, ErrorTypes.RateLimited, ErrorTypes.NotInPlexYet })
            {
                Assert.DoesNotContain(type, p.Retry.NonRetryableErrorTypes ?? []);
            }
        }

        // Matching waits for Plex to scan a new file.
        var match = table[ActivityPolicies.MatchPlexItem];
        Assert.Equal(Tuning.NotInPlexFor, match.ScheduleToClose);
        Assert.Equal(Tuning.NotInPlexInitial, match.SlowBackoff.Base);
        Assert.Equal(Tuning.NotInPlexMax, match.SlowBackoff.Cap);
        Assert.Equal(Tuning.TransientFor, table[ActivityPolicies.ApplyMetadata].ScheduleToClose);
    }

    [Theory]
    [InlineData(ActivityPolicies.FetchScene, false, true)]
    [InlineData(ActivityPolicies.ValidateScene, false, true)]
    [InlineData(ActivityPolicies.MatchPlexItem, true, false)]
    [InlineData(ActivityPolicies.ApplyMetadata, true, false)]
    public void For_PlexBoundAndLocalFlags_AreAsDesigned(string activity, bool plexBound, bool local)
    {
        var policy = ActivityPolicies.For(Tuning)[activity];
        Assert.Equal(plexBound, policy.PlexBound);
        Assert.Equal(local, policy.Local);
        Assert.False(policy.PlexBound && policy.Local, "a Plex-bound activity must go through the rate-capped Plex queue");
    }

    [Fact]
    public void PlexQueue_OfAQueue_IsItsOwnQueue() =>
        Assert.Equal("plexsync-plex", ActivityPolicies.PlexQueue("plexsync"));

    [Theory]
    [InlineData(FailureKind.Auth, ErrorTypes.AuthFailed, true)]
    [InlineData(FailureKind.Rejected, ErrorTypes.Rejected, true)]
    [InlineData(FailureKind.Transient, ErrorTypes.Unavailable, false)]
    [InlineData(FailureKind.NotFound, ErrorTypes.Unavailable, false)]
    [InlineData(FailureKind.RateLimited, ErrorTypes.RateLimited, false)]
    public void Classify_ServiceFailure_GivesItsTypeAndRetryability(FailureKind kind, string type, bool final)
    {
        var policy = ActivityPolicies.For(Tuning)[ActivityPolicies.ApplyMetadata];
        var failure = FailureClassifier.Classify(new ServiceException("plex", "GET /x", kind, 500, "detail"), policy, 3);

        Assert.NotNull(failure);
        Assert.Equal(type, failure.ErrorType);
        Assert.Equal(final, failure.NonRetryable);
        Assert.Equal("plex: GET /x: HTTP 500: detail", failure.Message);
        if (!final)
        {
            Assert.NotNull(failure.NextRetryDelay);
            Assert.InRange(failure.NextRetryDelay.Value, Backoff.TimerFloor, Backoff.TimerFloor + policy.Backoff.Step(3));
        }
    }

    [Fact]
    public void Classify_RateLimitedWithRetryAfter_WaitsExactlyThat()
    {
        var policy = ActivityPolicies.For(Tuning)[ActivityPolicies.ApplyMetadata];
        var error = new ServiceException("plex", "GET /x", FailureKind.RateLimited, 429, "slow down", TimeSpan.FromSeconds(7));

        var failure = FailureClassifier.Classify(error, policy, 1);

        Assert.Equal(TimeSpan.FromSeconds(7), failure?.NextRetryDelay);
    }

    [Fact]
    public void Classify_DomainFailures_GiveTheirTypes()
    {
        var policy = ActivityPolicies.For(Tuning)[ActivityPolicies.MatchPlexItem];
        var candidate = new PlexCandidate("1", "1", "a", ["/a/x.mp4"]);

        Assert.Equal(ErrorTypes.InvalidScene, FailureClassifier.Classify(new SceneValidationException("1", "date", "bad"), policy, 1)?.ErrorType);
        Assert.Equal(ErrorTypes.InvalidScene, FailureClassifier.Classify(new UnsafePathException("/a/../b"), policy, 1)?.ErrorType);
        Assert.Equal(ErrorTypes.AmbiguousMatch, FailureClassifier.Classify(new Domain.AmbiguousMatchException("x.mp4", [candidate, candidate]), policy, 1)?.ErrorType);
        Assert.Equal(ErrorTypes.ConfigError, FailureClassifier.Classify(new ConfigMismatchException("no section"), policy, 1)?.ErrorType);
        Assert.Equal(ErrorTypes.PlexItemGone, FailureClassifier.Classify(new PlexItemGoneException("5"), policy, 1)?.ErrorType);
        Assert.Null(FailureClassifier.Classify(new OperationCanceledException(), policy, 1));
    }

    [Fact]
    public void Classify_NotInPlex_RetriesSlowlyWithHalfJitter()
    {
        var policy = ActivityPolicies.For(Tuning)[ActivityPolicies.MatchPlexItem];

        var failure = FailureClassifier.Classify(new NotInPlexException(["/media/videos/x.mp4"]), policy, 2);

        Assert.NotNull(failure);
        Assert.Equal(ErrorTypes.NotInPlexYet, failure.ErrorType);
        Assert.False(failure.NonRetryable);
        var step = policy.SlowBackoff.Step(2);
        Assert.InRange(failure.NextRetryDelay ?? TimeSpan.Zero, step / 2, step);
    }
}
