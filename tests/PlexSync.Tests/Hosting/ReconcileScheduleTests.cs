using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;

namespace PlexSync.Tests.Hosting;

/// <summary>The schedule as built and the `schedule set` command line, without a server.</summary>
public sealed class ReconcileScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Build_Recent_SkipsOverlapsCoversTwiceTheIntervalAndTakesTheConfig()
    {
        var config = new PlexSyncConfig();
        config.Temporal.TaskQueue = "q1";
        config.Reconcile.PageSize = 25;
        config.Reconcile.Concurrency = 7;

        var schedule = ReconcileSchedule.Build(TimeSpan.FromHours(6), ReconcileScopes.Recent, config, Now, "n");

        Assert.Equal(ScheduleOverlapPolicy.Skip, schedule.Policy.Overlap);
        Assert.False(schedule.Policy.PauseOnFailure);
        Assert.Equal("n", schedule.State.Note);
        var action = Assert.IsType<ScheduleActionStartWorkflow>(schedule.Action);
        Assert.Equal(ReconcileWorkflow.Name, action.Workflow);
        Assert.Equal((ReconcileSchedule.WorkflowIdPrefix, "q1"), (action.Options.Id, action.Options.TaskQueue));
        var input = Assert.IsType<ReconcileInput>(Assert.Single(action.Args));
        Assert.Equal((ReconcileScopes.Recent, TimeSpan.FromHours(12), 25, 7), (input.Scope, input.Window, input.PageSize, input.Concurrency));
    }

    [Fact]
    public void Build_All_FirstRunIsOneIntervalAfterNow()
    {
        var every = TimeSpan.FromHours(6);
        var schedule = ReconcileSchedule.Build(every, ReconcileScopes.All, new PlexSyncConfig(), Now, "n");
        var interval = Assert.Single(schedule.Spec.Intervals);

        // Interval times are epoch + n * every + offset: now is one of them, so the next is now + every.
        Assert.Equal(every, interval.Every);
        Assert.Equal(0, (Now - DateTimeOffset.UnixEpoch - interval.Offset!.Value).Ticks % every.Ticks);
        var input = Assert.IsType<ReconcileInput>(Assert.Single(((ScheduleActionStartWorkflow)schedule.Action).Args));
        Assert.Equal((ReconcileScopes.All, TimeSpan.Zero), (input.Scope, input.Window));
    }
}
