using System.Text.Json;
using System.Text.Json.Nodes;
using PlexSync.Simulators;
using Temporalio.Client;
using Temporalio.Common;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// PlaysSync and RecordPlay runs recorded on the dev server and replayed against today's workflow code, as
/// <see cref="HistoryReplayTests"/> does for SceneSync; with <see cref="HistoryReplayTests.RecordVariable"/> set they
/// refresh the committed recordings that the always-on replay test replays.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class PlaysHistoryReplayTests(DevServerFixture server)
{
    [Fact]
    public async Task RecordedPlaysRuns_WithChildrenRepairAndUnmatched_Replay()
    {
        // Checks for a double one attempt's limit (6 s) after a retried add; the held first add lands 4 s after it was sent.
        await using var h = await PlaysHarness.StartAsync(
            server.Client, s => s with { Tuning = SyncHarness.ShortTuning with { ActivityTimeout = TimeSpan.FromSeconds(6) } }, TimeSpan.FromSeconds(1));
        h.AddScenes(3);
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
        var added = h.Play(1, t);
        h.Play(2, t + 1);
        h.Play(2, t + 1, account: 1); // two rows of one scene in one second: chained children
        var stray = h.PlexSim.AddItem(SimulatedLibrary.SectionKey, SimulatedLibrary.PlexRoot + "/other/clip.mp4");
        var unmatched = h.PlexSim.RecordPlay(stray, t + 2);
        var run = await h.StartAsync(new PlaysInput { Cursor = PlaysCursor.From(DateTimeOffset.FromUnixTimeSeconds(t)), PageSize = 2 });
        var result = await run.GetResultAsync().WaitAsync(PlaysHarness.Limit);
        Assert.Equal((3, 1), (result.Progress.Added, result.Progress.Unmatched));

        // Then a play whose add is held past the client's timeout and applied late: its row's workflow removes the double.
        var late = h.Play(3, t + 3);
        h.StashSim.AddFieldFault(new StashFieldFault { Field = "sceneAddPlay", ApplyAfter = TimeSpan.FromSeconds(4), Status = 0, Times = 1 });
        var next = await h.RunAsync(new PlaysInput { Cursor = result.Cursor });
        Assert.Equal((1, 1), (next.Progress.Added, next.Progress.Repaired));

        var runs = new Dictionary<string, WorkflowHandle>(StringComparer.Ordinal)
        {
            ["plays-sync.json"] = run,
            ["record-play-added.json"] = Row(h, added, t),
            ["record-play-unmatched.json"] = Row(h, unmatched, t + 2),
            ["record-play-repaired.json"] = Row(h, late, t + 3),
        };
        var record = Environment.GetEnvironmentVariable(HistoryReplayTests.RecordVariable);
        foreach (var (file, handle) in runs)
        {
            var json = (await handle.FetchHistoryAsync()).ToJson();
            Assert.DoesNotContain(PlaysHarness.PlexToken, json, StringComparison.Ordinal);
            Assert.DoesNotContain(PlaysHarness.ApiKey, json, StringComparison.Ordinal);
            if (file == "record-play-repaired.json")
            {
                Assert.Contains(ActivityPolicies.VerifyPlay, json, StringComparison.Ordinal);
            }

            if (!string.IsNullOrEmpty(record))
            {
                var indented = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await File.WriteAllTextAsync(Path.Combine(record, file), indented + "\n");
            }

            var replayed = await HistoryReplayTests.Replayer().ReplayWorkflowAsync(WorkflowHistory.FromJson(file, json), throwOnReplayFailure: false);
            Assert.True(replayed.ReplayFailure is null, $"{file} does not replay: {replayed.ReplayFailure}");
        }
    }

    private WorkflowHandle Row(PlaysHarness h, long historyId, long viewedAt) =>
        server.Client.GetWorkflowHandle(RecordPlayWorkflow.WorkflowId(h.Server, historyId, viewedAt));
}
