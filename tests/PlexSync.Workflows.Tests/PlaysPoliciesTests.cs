using System.Reflection;
using Temporalio.Activities;

namespace PlexSync.Workflows.Tests;

public sealed class PlaysPoliciesTests
{
    private static readonly RetryTuning Tuning = new();

    [Fact]
    public void For_EveryPlaysActivity_HasACompletePolicy()
    {
        var table = ActivityPolicies.For(Tuning);
        var activities = new[] { typeof(PlaysActivities), typeof(RecordPlayActivities) }
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<ActivityAttribute>()?.Name)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(
            [ActivityPolicies.AddPlay, ActivityPolicies.MatchPlay, ActivityPolicies.ReadPlexHistory, ActivityPolicies.ReadScenePlays, ActivityPolicies.SyncResumePoints, ActivityPolicies.VerifyPlay],
            activities);
        foreach (var name in activities)
        {
            var p = table[name];
            Assert.True(p.StartToClose > TimeSpan.Zero && p.ScheduleToClose >= p.StartToClose, $"{name}: timeouts {p}");
            Assert.Equal(Tuning.TransientFor, p.ScheduleToClose);
            Assert.Equal(ErrorTypes.NonRetryable, p.Retry.NonRetryableErrorTypes);
        }
    }

    [Theory]
    [InlineData(ActivityPolicies.ReadPlexHistory, true, false, true)]
    [InlineData(ActivityPolicies.MatchPlay, true, false, false)]
    [InlineData(ActivityPolicies.SyncResumePoints, true, false, true)]
    [InlineData(ActivityPolicies.ReadScenePlays, false, true, false)]
    [InlineData(ActivityPolicies.AddPlay, false, false, false)]
    [InlineData(ActivityPolicies.VerifyPlay, false, false, false)]
    public void For_PlaysActivities_QueueLocalAndHeartbeatAsDesigned(string activity, bool plexBound, bool local, bool heartbeat)
    {
        var policy = ActivityPolicies.For(Tuning)[activity];

        Assert.Equal((plexBound, local, heartbeat), (policy.PlexBound, policy.Local, policy.Heartbeat is not null));
    }
}
