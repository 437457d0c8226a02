using System.Text.Json;
using System.Text.RegularExpressions;
using PlexSync.Operations;
using PlexSync.Simulators;
using PlexSync.Spool;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

// The failed, retry and status commands through the real binary: a failed sync listed, fixed and retried.
[Collection(EndToEndCollection.Name)]
public sealed class OperatorCommandTests(EndToEndFixture fixture)
{
    private const string InvalidDate = "2023-02-30";

    // Visibility on the dev server follows a run's close within milliseconds; this bounds the wait for it.
    private static readonly TimeSpan VisibilityLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task FailedThenRetry_ListsTheCause_RetriesOnlyFailedScenes_AndFailedForgetsThem()
    {
        foreach (var id in new[] { 301, 302, 303 })
        {
            fixture.Library.AddScene(SimulatedLibrary.SeedScene(id), inPlex: true);
        }

        fixture.Library.AddScene(SimulatedLibrary.SeedScene(304), inPlex: false);
        fixture.Library.Stash.Update(301, s => s.Date = InvalidDate);
        fixture.Library.Stash.Update(302, s => s.Date = InvalidDate);

        var (code, output) = await fixture.RunAsync("sync", "--scene", "301,302,303", "--wait");
        Assert.True(code == 1, output);
        await WaitForClosedAsync(["301", "302", "303"], 3);

        // `failed`: one row per failed scene, the root cause naming the field, and what to do.
        var failedText = fixture.RunAsync("failed");
        var listed = await FailedJsonAsync();
        Assert.DoesNotContain("303", listed.Keys);
        foreach (var id in new[] { "301", "302" })
        {
            Assert.Equal("InvalidScene", listed[id].GetProperty("errorType").GetString());
            Assert.Contains("\"date\"", listed[id].GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("fix the field", listed[id].GetProperty("hint").GetString(), StringComparison.Ordinal);
        }

        var (textCode, text) = await failedText;
        Assert.True(textCode == 0, text);
        Assert.Matches(@"301\s+│?\s*InvalidScene", text);
        Assert.Contains("InvalidScene: fix the field", text, StringComparison.Ordinal);

        // The fixed scene's retry succeeds, and `failed` forgets it; the other stays listed.
        fixture.Library.Stash.Update(301, s => s.Date = "2023-02-28");
        (code, output) = await fixture.RunAsync("retry", "--scene", "301", "--wait");
        Assert.True(code == 0, output);
        Assert.Contains("scene 301: retry started", output, StringComparison.Ordinal);
        Assert.Matches(@"301\s+│?\s*synced", output);
        await WaitForClosedAsync(["301"], 2);
        listed = await FailedJsonAsync();
        Assert.DoesNotContain("301", listed.Keys);
        Assert.Contains("302", listed.Keys);

        // A scene whose last sync succeeded, and one whose sync runs (304 is not in Plex: NotInPlexYet), start nothing.
        var running = await SyncStarter.StartAsync(fixture.Client, fixture.TaskQueue, "304", SyncReasons.Manual);
        var runsBefore = await RunsAsync("303") + await RunsAsync("304");
        (code, output) = await fixture.RunAsync("retry", "--scene", "303", "--scene", "304");
        Assert.True(code == 0, output);
        Assert.Contains("scene 303: its last sync succeeded; nothing to retry", output, StringComparison.Ordinal);
        Assert.Contains("scene 304: its sync is running", output, StringComparison.Ordinal);
        Assert.DoesNotContain("retry started", output, StringComparison.Ordinal);
        Assert.Equal(runsBefore, await RunsAsync("303") + await RunsAsync("304"));
        fixture.Library.ScanIntoPlex(304);
        Assert.Equal(Outcomes.Synced, (await running.GetResultAsync()).Outcome);

        // --all-failed retries exactly the scenes `failed` lists (other tests' failures included), 302 among them.
        fixture.Library.Stash.Update(302, s => s.Date = "2023-02-28");
        var expected = (await FailedSyncs.FindAsync(fixture.Client, int.MaxValue, CancellationToken.None)).Select(f => f.SceneId).Order().ToList();
        (code, output) = await fixture.RunAsync("retry", "--all-failed", "--wait");
        Assert.Equal(expected, Regex.Matches(output, @"scene (\d+): retry started").Select(m => m.Groups[1].Value).Order());
        Assert.Matches(@"302\s+│?\s*synced", output);
        Assert.True(code == 0 || expected.Count > 1, output);
        await WaitForClosedAsync(["302"], 2);
        listed = await FailedJsonAsync();
        Assert.DoesNotContain("302", listed.Keys);
    }

    [Fact]
    public async Task Retry_JsonForASucceededScene_SaysSucceededAndStartsNothing()
    {
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(305), inPlex: true);
        var sync = await SyncStarter.StartAsync(fixture.Client, fixture.TaskQueue, "305", SyncReasons.Manual);
        await sync.GetResultAsync();

        await using var retry = fixture.Start(["retry", "--scene", "305", "--json"]);
        Assert.True(await retry.WaitForExitAsync(Limit) == 0, retry.Output + retry.Errors);
        var scene = Assert.Single(JsonDocument.Parse(retry.Output).RootElement.GetProperty("scenes").EnumerateArray());
        Assert.Equal(RetryActions.Succeeded, scene.GetProperty("action").GetString());
        Assert.Equal(1, await RunsAsync("305"));
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("retry", "--scene", "5", "--all-failed")]
    public async Task Retry_NeitherOrBoth_SaysWhatToGive(params string[] args)
    {
        var (code, output) = await fixture.RunAsync(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("give --scene ID (repeatable), --all-failed or --plays", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsOutcomeCountsSpoolAndWorkers_AsTextAndJson()
    {
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(310), inPlex: true);
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(311), inPlex: true);
        fixture.Library.Stash.Update(311, s => s.Date = InvalidDate);
        var syncs = ((string[])["310", "311"]).Select(id => SyncStarter.StartAsync(fixture.Client, fixture.TaskQueue, id, SyncReasons.Manual));
        foreach (var handle in await Task.WhenAll(syncs))
        {
            try
            {
                await handle.GetResultAsync();
            }
            catch (Temporalio.Exceptions.WorkflowFailedException)
            {
                // 311's invalid date: the failure status counts.
            }
        }

        await WaitForClosedAsync(["310", "311"], 2);

        // A spool of its own, so that the hook tests' spool is left alone.
        var spoolPath = Path.Combine(Path.GetTempPath(), $"plexsync-status-{Guid.NewGuid():N}.jsonl");
        var spool = new SyncSpool(spoolPath);
        spool.Append(new SpoolEntry("312", SyncReasons.Hook, DateTimeOffset.UtcNow));
        spool.Append(new SpoolEntry("313", SyncReasons.Hook, DateTimeOffset.UtcNow));
        var environment = new Dictionary<string, string> { ["PLEXSYNC_SPOOL_PATH"] = spoolPath };
        try
        {
            var text = fixture.RunAsync(environment, "status");
            await using var json = fixture.Start(["status", "--json"], environment);
            Assert.True(await json.WaitForExitAsync(Limit) == 0, json.Output + json.Errors);

            var report = JsonDocument.Parse(json.Output).RootElement;
            var last24h = report.GetProperty("last24h");
            Assert.True(last24h.GetProperty(Outcomes.Synced).GetInt64() >= 1, json.Output);
            Assert.True(last24h.GetProperty(Outcomes.Failed).GetInt64() >= 1, json.Output);
            Assert.Equal(JsonValueKind.String, report.GetProperty("lastSuccess").ValueKind);
            Assert.Equal(spoolPath, report.GetProperty("spool").GetProperty("path").GetString());
            Assert.Equal(2, report.GetProperty("spool").GetProperty("pending").GetInt32());
            Assert.Contains(StatusReport.BreakerScope, report.GetProperty("plexCircuitBreaker").GetString(), StringComparison.Ordinal);
            Assert.Equal("plexsync-reconcile", report.GetProperty("schedule").GetProperty("id").GetString());
            Assert.All(report.GetProperty("workers").EnumerateArray(), q => Assert.True(q.GetProperty("pollers").GetInt32() > 0, json.Output));
            Assert.Equal(2, report.GetProperty("workers").GetArrayLength());

            var (code, output) = await text;
            Assert.True(code == 0, output);
            Assert.Matches(@"Last 24 h\s+\d+ synced, \d+ unchanged, \d+ skipped, [1-9]\d* failed", output);
            Assert.Contains($"2 pending in {spoolPath}", output, StringComparison.Ordinal);
            Assert.Contains("Plex circuit breaker", output, StringComparison.Ordinal);
            Assert.Contains("plexsync failed", output, StringComparison.Ordinal);
            Assert.DoesNotContain("no worker has polled", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(spoolPath);
            File.Delete(spoolPath + ".lock");
        }
    }

    [Fact]
    public async Task Status_OnATaskQueueNoWorkerPolls_WarnsForBothQueues()
    {
        var queue = $"unpolled-{Guid.NewGuid():N}";

        var (code, output) = await fixture.RunAsync(new Dictionary<string, string> { ["PLEXSYNC_TASK_QUEUE"] = queue }, "status");

        Assert.True(code == 0, output);
        var flat = string.Join(' ', output.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"no worker has polled task queue {queue} (workflows)", flat, StringComparison.Ordinal);
        Assert.Contains($"no worker has polled task queue {ActivityPolicies.PlexQueue(queue)} (Plex activities)", flat, StringComparison.Ordinal);
    }

    // `failed --json` (its stdout only), by scene ID.
    private async Task<Dictionary<string, JsonElement>> FailedJsonAsync()
    {
        await using var run = fixture.Start(["failed", "--json"]);
        var code = await run.WaitForExitAsync(Limit);
        Assert.True(code == 0, run.Output + run.Errors);
        return JsonDocument.Parse(run.Output).RootElement.EnumerateArray()
            .ToDictionary(e => e.GetProperty("sceneId").GetString()!, e => e.Clone());
    }

    private async Task<long> RunsAsync(string sceneId) =>
        (await fixture.Client.CountWorkflowsAsync($"WorkflowId = '{SceneSyncWorkflow.WorkflowId(sceneId)}'")).Count;

    // Waits until visibility shows these scenes' runs closed, <paramref name="closedRuns"/> in all: the commands read visibility.
    private async Task WaitForClosedAsync(IReadOnlyList<string> sceneIds, int closedRuns)
    {
        var ids = string.Join(", ", sceneIds.Select(id => $"'{SceneSyncWorkflow.WorkflowId(id)}'"));
        var query = $"WorkflowId IN ({ids}) AND ExecutionStatus != 'Running'";
        await Poll.UntilAsync(
            async ct => (await fixture.Client.CountWorkflowsAsync(query, new WorkflowCountOptions { Rpc = new RpcOptions { CancellationToken = ct } })).Count >= closedRuns,
            VisibilityLimit,
            $"visibility to list {closedRuns} closed runs for {query}");
    }
}
