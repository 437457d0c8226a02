using System.Diagnostics;
using System.Globalization;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Testing;
using Xunit.Abstractions;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Measures whether a hook's sync waits behind a reconciliation's backlog on the rate-capped Plex
/// queue: the backlog at priority 3 (a reconciliation's children), the hook's sync at priority 1
/// (<see cref="SyncStarter.PriorityOf"/>). On the dev server as <see cref="TestServers"/> starts it
/// (with matching.useNewMatcher), against server 1.29.1's default (without it, priority keys are
/// ignored) and against a hook sync at the backlog's own priority (the matcher alone).
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class PriorityMeasurementTests(DevServerFixture server, ITestOutputHelper output)
{
    private const int Backlog = 100;
    private const double PlexActivitiesPerSecond = 20;

    [Fact]
    public async Task HookSync_BehindAReconciliationBacklog_PriorityLetsItThrough()
    {
        var with = await MeasureAsync(server.Client, SyncStarter.PriorityOf(SyncReasons.Hook));
        var samePriority = await MeasureAsync(server.Client, SyncStarter.PriorityOf(SyncReasons.Reconcile));
        var options = TestServers.Options();
        options.DevServerOptions.ExtraArgs = [.. options.DevServerOptions.ExtraArgs ?? [], "--dynamic-config-value", "matching.useNewMatcher=false"];
        await using var oldMatcher = await WorkflowEnvironment.StartLocalAsync(options);
        var serverDefault = await MeasureAsync(oldMatcher.Client, SyncStarter.PriorityOf(SyncReasons.Hook));

        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"hook sync latency behind {Backlog} reconcile syncs, Plex queue at {PlexActivitiesPerSecond}/s: with priority {with}; same priority as the backlog {samePriority}; server 1.29 default matcher {serverDefault}");
        Figures.Report(output, "Interactive priority", line);

        // Only the new matcher's order is predictable: FIFO within a priority level, the lower key first.
        // The old matcher's is not (a new task may sync-match ahead of the backlog or wait behind all
        // of it), so its figure is printed, not asserted.
        Assert.True(with.Latency < samePriority.Latency / 2, line);
    }

    private static async Task<Measured> MeasureAsync(ITemporalClient client, Priority hookPriority)
    {
        await using var h = await SyncHarness.StartAsync(client, Backlog + 1);
        var queue = "priority-" + Guid.NewGuid();

        // As WorkerHost sets up the Plex queue: a server-enforced rate, a few activities at a time.
        await using var workers = new WorkerPair(client, queue, h.Settings.Tuning, o =>
        {
            if (o.TaskQueue == ActivityPolicies.PlexQueue(queue))
            {
                o.MaxTaskQueueActivitiesPerSecond = PlexActivitiesPerSecond;
                o.MaxConcurrentActivities = 8;
            }

            return o.AddAllActivities(h.Activities);
        });

        var backlog = await Task.WhenAll(Enumerable.Range(1, Backlog).Select(i => StartAsync(client, queue, i, SyncReasons.Reconcile, SyncStarter.PriorityOf(SyncReasons.Reconcile))));

        // The backlog is there: Plex activities already queue behind the rate.
        await h.PlexSim.WaitForAsync(() => h.PlexSim.Count("GET", "/library/sections/") >= 20, SyncHarness.Limit);
        var watch = Stopwatch.StartNew();
        var hook = await StartAsync(client, queue, Backlog + 1, SyncReasons.Hook, hookPriority);
        await hook.GetResultAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var latency = watch.Elapsed;
        var left = (await Task.WhenAll(backlog.Select(b => b.DescribeAsync()))).Count(d => d.Status == Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running);
        await Task.WhenAll(backlog.Select(b => b.GetResultAsync())).WaitAsync(TimeSpan.FromMinutes(2));
        return new Measured(latency, left);
    }

    private static Task<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> StartAsync(ITemporalClient client, string queue, int scene, string reason, Priority priority)
    {
        var id = scene.ToString(CultureInfo.InvariantCulture);
        var options = SyncStarter.Options(queue, id, reason);
        options.Id = $"{SceneSyncWorkflow.WorkflowId(id)}@{queue}";
        options.Priority = priority;
        return client.StartWorkflowAsync((SceneSyncWorkflow wf) => wf.RunAsync(new SceneSyncInput(id, reason, null)), options);
    }

    private sealed record Measured(TimeSpan Latency, int Left)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Latency.TotalSeconds:0.00} s ({Left} backlog syncs still running)");
    }
}
