using System.Globalization;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Converters;
using Temporalio.Exceptions;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// `plexsync schedule` and the default schedule of worker start-up, through the real binary. The schedule
/// ID is one per namespace, so these tests share it with the fixture's worker (which created the default);
/// their runs go to a library and task queue of their own, so that a reconciliation here never syncs
/// another test's scenes, and the fixture's default schedule is put back afterwards.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScheduleTests(EndToEndFixture fixture) : IAsyncLifetime
{
    private const int Scenes = 3;
    private const string WorkerReady = "Worker polling";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-schedule-").FullName;
    private readonly string taskQueue = "sched-" + Guid.NewGuid().ToString("N")[..8];
    private SimulatedLibrary? library;

    private ScheduleHandle Schedule => fixture.Client.GetScheduleHandle(ReconcileSchedule.Id);

    private string OwnConfig => Path.Combine(directory, "plexsync.yaml");

    private string OffConfig => Path.Combine(directory, "off.yaml");

    public async Task InitializeAsync()
    {
        // The fixture's worker may still be starting: let it create the default first, not after a test deleted it.
        await Poll.UntilAsync(() => fixture.WorkerLog.Contains(WorkerReady, StringComparison.Ordinal), Limit, $"\"{WorkerReady}\" in the worker's log");

        library = await SimulatedLibrary.StartAsync(Scenes, EndToEndFixture.ApiKey, EndToEndFixture.PlexToken);
        var yaml = string.Create(CultureInfo.InvariantCulture, $"""
            stash:
              url: {library.Stash.BaseAddress}
              api_key: {EndToEndFixture.ApiKey}
            plex:
              url: {library.Plex.BaseAddress}
              token: {EndToEndFixture.PlexToken}
              sections: [{SimulatedLibrary.SectionTitle}]
            path_mappings:
              - from: {SimulatedLibrary.StashRoot}
                to: {SimulatedLibrary.PlexRoot}
            temporal:
              address: {fixture.Client.Connection.Options.TargetHost}
              task_queue: {taskQueue}
            retry:
              transient_initial: 100ms
              transient_max: 500ms
              transient_for: 1m
              activity_timeout: 10s
            spool_path: {Path.Combine(directory, "spool.jsonl")}

            """);
        await File.WriteAllTextAsync(OwnConfig, yaml + "reconcile:\n  page_size: 2\n");
        await File.WriteAllTextAsync(OffConfig, yaml + "reconcile:\n  schedule: off\n");
    }

    public async Task DisposeAsync()
    {
        // Back to what the fixture's worker made at its start: the default schedule on its own queue.
        await DeleteScheduleAsync();
        await ReconcileSchedule.EnsureDefaultAsync(
            fixture.Client, ConfigLoader.Load(fixture.ConfigPath, _ => null, needPlex: false), CancellationToken.None);
        if (library is not null)
        {
            await library.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Schedule_SetShowTriggerDelete_RunsAReconciliationAndIsGone()
    {
        var (code, output) = await RunAsync("schedule", "set", "--every", "1m", "--scope", "all");
        Assert.True(code == 0, output);
        Assert.Matches($@"Schedule {ReconcileSchedule.Id} (created|updated): every 1m, all scenes; first run at ", output);

        // A worker start finds the user's schedule and leaves it as it is.
        await using var worker = Start(OwnConfig);
        await worker.WaitForLogAsync(WorkerReady, Limit);
        Assert.Contains($"Reconciliation schedule {ReconcileSchedule.Id} exists; left as it is", worker.Errors, StringComparison.Ordinal);

        (code, output) = await RunAsync("schedule", "show");
        Assert.True(code == 0, output);
        Assert.Contains($"Schedule: {ReconcileSchedule.Id} (active)", output, StringComparison.Ordinal);
        Assert.Contains("Every:    1m", output, StringComparison.Ordinal);
        Assert.Contains($"Runs:     Reconcile on task queue {taskQueue}: all scenes, pages of 2", output, StringComparison.Ordinal);
        Assert.Contains("Overlap:  skip", output, StringComparison.Ordinal);
        Assert.Contains("Note:     Set with `plexsync schedule set`", output, StringComparison.Ordinal);
        Assert.Equal(3, output.Split('\n').Count(line => line.StartsWith("Next:", StringComparison.Ordinal)));

        // Fire it now rather than wait a minute; the run is the one the schedule started.
        await Schedule.TriggerAsync();
        var workflowId = await FirstRunAsync();
        Assert.StartsWith(ReconcileSchedule.WorkflowIdPrefix + "-", workflowId, StringComparison.Ordinal);
        using var wait = new CancellationTokenSource(Limit);
        var progress = await fixture.Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(workflowId)
            .GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = wait.Token });
        Assert.True(progress.Done);
        Assert.Equal((Scenes, 0), (progress.Seen, progress.Failed));

        (code, output) = await RunAsync("schedule", "show");
        Assert.True(code == 0, output);
        Assert.Contains($"{workflowId}  completed: {Scenes} checked, {progress.Changed} differed, {progress.Synced} synced, 0 failed", output, StringComparison.Ordinal);

        (code, output) = await RunAsync("schedule", "delete");
        Assert.True(code == 0, output);
        Assert.Contains("deleted", output, StringComparison.Ordinal);
        Assert.Contains("reconcile.schedule: off", output, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RpcException>(() => Schedule.DescribeAsync());

        (code, output) = await RunAsync("schedule", "show");
        Assert.Equal(1, code);
        Assert.Contains("no reconciliation schedule is set; create one with `plexsync schedule set --every 6h`", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_SetEveryBelowAMinute_IsAUsageErrorSayingTheMinimum()
    {
        var (code, output) = await RunAsync("schedule", "set", "--every", "10s");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--every: \"10s\" is shorter than the 1m minimum", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerStart_CreatesTheDefaultOnceWhenAbsent_AndNoneWhenTheConfigSaysOff()
    {
        await DeleteScheduleAsync();

        // Off: the worker starts and creates nothing.
        await using (var off = Start(OffConfig))
        {
            await off.WaitForLogAsync(WorkerReady, Limit);
            Assert.Contains("reconcile.schedule is off", off.Errors, StringComparison.Ordinal);
        }

        var absent = await Assert.ThrowsAsync<RpcException>(() => Schedule.DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, absent.Code);

        // Two workers starting together: one creates the default, the other finds it, neither fails.
        await using var first = Start(OwnConfig);
        await using var second = Start(OwnConfig);
        await Task.WhenAll(first.WaitForLogAsync(WorkerReady, Limit), second.WaitForLogAsync(WorkerReady, Limit));
        var logs = new[] { first.Errors, second.Errors };
        Assert.Single(logs, log => log.Contains($"Created the reconciliation schedule {ReconcileSchedule.Id}: every 6h, the scenes updated within 12h", StringComparison.Ordinal));
        Assert.Single(logs, log => log.Contains($"Reconciliation schedule {ReconcileSchedule.Id} exists; left as it is", StringComparison.Ordinal));
        Assert.Contains(logs, log => log.Contains("plexsync schedule delete", StringComparison.Ordinal) && log.Contains("reconcile.schedule: off", StringComparison.Ordinal));

        var description = await Schedule.DescribeAsync();
        Assert.Equal(TimeSpan.FromHours(6), Assert.Single(description.Schedule.Spec.Intervals).Every);
        Assert.Equal(ReconcileSchedule.DefaultNote, description.Schedule.State.Note);
        var action = Assert.IsType<ScheduleActionStartWorkflow>(description.Schedule.Action);
        Assert.Equal(taskQueue, action.Options.TaskQueue);
        var input = await Assert.IsAssignableFrom<IEncodedRawValue>(Assert.Single(action.Args)).ToValueAsync<ReconcileInput>();
        Assert.NotNull(input);
        Assert.Equal((ReconcileScopes.Recent, TimeSpan.FromHours(12)), (input.Scope, input.Window));
    }

    private PlexSyncProcess Start(string config) => fixture.Start(["worker", "--config", config]);

    private Task<(int ExitCode, string Output)> RunAsync(params string[] args) => fixture.RunAsync([.. args, "--config", OwnConfig]);

    // The first run the schedule started, as its description lists it (bounded: a trigger acts within a second or so).
    private async Task<string> FirstRunAsync()
    {
        string? workflowId = null;
        await Poll.UntilAsync(
            async ct =>
            {
                var description = await Schedule.DescribeAsync(new RpcOptions { CancellationToken = ct });
                workflowId = (description.Info.RecentActions.FirstOrDefault()?.Action as ScheduleActionExecutionStartWorkflow)?.WorkflowId;
                return workflowId is not null;
            },
            Limit,
            "the schedule's first run in its description");
        return workflowId!;
    }

    private async Task DeleteScheduleAsync()
    {
        try
        {
            await Schedule.DeleteAsync();
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            // Already absent.
        }
    }
}
