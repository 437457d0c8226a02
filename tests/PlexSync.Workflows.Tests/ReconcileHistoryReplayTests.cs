using System.Text.Json;
using System.Text.Json.Nodes;
using Temporalio.Client;
using Temporalio.Common;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Reconcile runs recorded on the dev server and replayed against today's workflow code, as
/// <see cref="HistoryReplayTests"/> does for SceneSync; with <see cref="HistoryReplayTests.RecordVariable"/>
/// set they refresh the committed recordings that the always-on replay test replays.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class ReconcileHistoryReplayTests(DevServerFixture server)
{
    [Fact]
    public async Task RecordedReconcileRuns_WithChildrenAndContinueAsNew_Replay()
    {
        await using var h = await ReconcileHarness.StartAsync(server.Client);
        h.AddScenes(5);
        await h.PreSyncAsync(3);
        h.StashSim.Update(h.Base + 2, s => s.Title = "Edited");
        var runs = new Dictionary<string, WorkflowHandle>(StringComparer.Ordinal);

        // One run: scenes 2, 4 and 5 changed or never synced, each synced by a child SceneSync.
        var normal = await h.StartAsync(new ReconcileInput { Scope = ReconcileScopes.All, PageSize = 10 });
        var progress = await normal.GetResultAsync().WaitAsync(ReconcileHarness.Limit);
        Assert.Equal(new ReconcileProgress { Total = 5, Seen = 5, Changed = 3, Synced = 3, Runs = 1, Done = true }, progress);
        runs["reconcile-children.json"] = normal;

        // Pages of 2, 2 pages a run: the first run continues as new; its own history is the one recorded.
        h.StashSim.Update(h.Base + 5, s => s.Details = "Edited again");
        var continued = await h.StartAsync(new ReconcileInput { Scope = ReconcileScopes.All, PageSize = 2, PagesPerRun = 2 });
        var last = await continued.GetResultAsync().WaitAsync(ReconcileHarness.Limit);
        Assert.True(last.Runs >= 2, $"{last.Runs} runs; want continue-as-new");
        runs["reconcile-continued-as-new.json"] = server.Client.GetWorkflowHandle(continued.Id, continued.FirstExecutionRunId ?? continued.RunId);

        var record = Environment.GetEnvironmentVariable(HistoryReplayTests.RecordVariable);
        foreach (var (file, handle) in runs)
        {
            var json = (await handle.FetchHistoryAsync()).ToJson();
            if (file == "reconcile-continued-as-new.json")
            {
                Assert.Contains("workflowExecutionContinuedAsNewEventAttributes", json, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(ReconcileHarness.PlexToken, json, StringComparison.Ordinal);
            Assert.DoesNotContain(ReconcileHarness.ApiKey, json, StringComparison.Ordinal);
            if (!string.IsNullOrEmpty(record))
            {
                var indented = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await File.WriteAllTextAsync(Path.Combine(record, file), indented + "\n");
            }

            var result = await HistoryReplayTests.Replayer().ReplayWorkflowAsync(WorkflowHistory.FromJson(file, json), throwOnReplayFailure: false);
            Assert.True(result.ReplayFailure is null, $"{file} does not replay: {result.ReplayFailure}");
        }
    }
}
