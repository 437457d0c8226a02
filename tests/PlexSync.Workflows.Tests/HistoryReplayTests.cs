using System.Text.Json;
using System.Text.Json.Nodes;
using PlexSync.Domain;
using PlexSync.Simulators;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Histories of representative runs, replayed against today's workflow code: a change that would
/// break the runs in flight at a deploy (non-determinism) fails here first.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class HistoryReplayTests(DevServerFixture server)
{
    /// <summary>Set to tests/PlexSync.Workflows.Tests/Histories to refresh the committed recordings.</summary>
    public const string RecordVariable = "PLEXSYNC_RECORD_HISTORIES";

    private static readonly string Committed = Path.Combine(AppContext.BaseDirectory, "Histories");

    [Fact]
    public async Task RecordedRuns_OfEveryMainPath_Replay()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 5);
        var runs = new Dictionary<string, WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>>(StringComparer.Ordinal);

        var synced = await h.StartAsync(1);
        Assert.Equal(Outcomes.Synced, (await synced.GetResultAsync().WaitAsync(SyncHarness.Limit)).Outcome);
        runs["scene-sync-synced.json"] = synced;

        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 503, Times = 3 });
        var retried = await h.StartAsync(2);
        Assert.Equal(Outcomes.Synced, (await retried.GetResultAsync().WaitAsync(SyncHarness.Limit)).Outcome);
        runs["scene-sync-retried.json"] = retried;

        h.StashSim.Update(3, s => s.Date = "2021-02-30");
        var failed = await h.StartAsync(3);
        await Assert.ThrowsAsync<WorkflowFailedException>(() => failed.GetResultAsync().WaitAsync(SyncHarness.Limit));
        runs["scene-sync-invalid-scene.json"] = failed;

        runs["scene-sync-two-passes.json"] = await TwoPassesAsync(h, 4);

        var match = new PlexMatch(h.Library.RatingKey(5).ToString(System.Globalization.CultureInfo.InvariantCulture), ItemMatcher.ByPath);
        var given = await h.StartAsync(5, match, SyncReasons.Reconcile);
        Assert.Equal(Outcomes.Synced, (await given.GetResultAsync().WaitAsync(SyncHarness.Limit)).Outcome);
        runs["scene-sync-given-match.json"] = given;

        var record = Environment.GetEnvironmentVariable(RecordVariable);
        foreach (var (file, handle) in runs)
        {
            var json = (await handle.FetchHistoryAsync()).ToJson();
            Assert.DoesNotContain(SyncHarness.PlexToken, json, StringComparison.Ordinal);
            Assert.DoesNotContain(SyncHarness.ApiKey, json, StringComparison.Ordinal);
            if (!string.IsNullOrEmpty(record))
            {
                // Indented, so that a refreshed recording reads as a diff in review.
                var indented = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
                await File.WriteAllTextAsync(Path.Combine(record, file), indented + "\n");
            }

            var result = await Replayer().ReplayWorkflowAsync(WorkflowHistory.FromJson(file, json), throwOnReplayFailure: false);
            Assert.True(result.ReplayFailure is null, $"{file} does not replay: {result.ReplayFailure}");
        }
    }

    [Fact]
    public async Task CommittedHistories_ReplayWithTodaysWorkflow()
    {
        var files = Directory.GetFiles(Committed, "*.json").Order(StringComparer.Ordinal).ToList();

        // A missing copy step must not make this test pass on nothing; every workflow must be there.
        Assert.True(files.Count >= 11, $"{files.Count} recorded histories in {Committed}; want the 11 committed ones");
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("reconcile-", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("scene-sync-", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("plays-sync", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("record-play-", StringComparison.Ordinal));
        var histories = new List<WorkflowHistory>();
        foreach (var file in files)
        {
            histories.Add(WorkflowHistory.FromJson(Path.GetFileNameWithoutExtension(file), await File.ReadAllTextAsync(file)));
        }

        var failures = new List<string>();
        foreach (var result in await Replayer().ReplayWorkflowsAsync(histories, throwOnReplayFailure: false))
        {
            if (result.ReplayFailure is { } failure)
            {
                failures.Add($"{result.History.Id}: {failure.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // A deployed worker's registration: every workflow with the production tuning, our converter.
    internal static WorkflowReplayer Replayer()
    {
        var options = new WorkflowReplayerOptions { DataConverter = PayloadJson.Converter() };
        foreach (var definition in WorkflowDefinitions.All(new RetryTuning()))
        {
            options.AddWorkflow(definition);
        }

        return new WorkflowReplayer(options);
    }

    // A SceneChanged signal arrives while the first pass writes to Plex: the run makes a second pass.
    private static async Task<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> TwoPassesAsync(SyncHarness h, int sceneId)
    {
        var applying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.BeforeActivity = async (name, _) =>
        {
            if (name == ActivityPolicies.ApplyMetadata && applying.TrySetResult())
            {
                await release.Task.WaitAsync(SyncHarness.Limit);
            }
        };
        try
        {
            var handle = await h.StartAsync(sceneId, reason: SyncReasons.Hook);
            await applying.Task.WaitAsync(SyncHarness.Limit);
            h.StashSim.Update(sceneId, s => s.Title = "Edited during the sync");
            await handle.SignalAsync(wf => wf.SceneChangedAsync(SyncReasons.Hook));
            release.SetResult();
            Assert.Equal(2, (await handle.GetResultAsync().WaitAsync(SyncHarness.Limit)).Passes);
            return handle;
        }
        finally
        {
            h.BeforeActivity = null;
        }
    }
}
