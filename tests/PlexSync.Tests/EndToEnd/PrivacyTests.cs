using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using PlexSync.Simulators;
using PlexSync.Workflows;
using PlexSync.Workflows.Encryption;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// With encryption on, what Temporal stores (and its Web UI shows) holds no scene data; the control run
/// without encryption proves that the same check finds it when it is there.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PrivacyTests(EndToEndFixture fixture)
{
    private const int Encrypted = 601;
    private const int EncryptedFailing = 602;
    private const int Control = 603;
    private const string InvalidDate = "2023-13-45";

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Sync_WithEncryption_HistoryHoldsNoSceneData_ButCommandsWithTheKeysReadIt()
    {
        foreach (var id in new[] { Encrypted, EncryptedFailing, Control })
        {
            fixture.Library.AddScene(MarkedScene(id), inPlex: true);
        }

        fixture.Library.Stash.Update(EncryptedFailing, s => s.Date = InvalidDate);

        // Its own worker and task queue, so that only this worker holds the keys; the fixture's worker runs the control.
        var keys = $"old={Key()}";
        var rotated = $"new={Key()},{keys}";
        var env = new Dictionary<string, string>
        {
            ["PLEXSYNC_ENCRYPTION_KEYS"] = keys,
            ["PLEXSYNC_TASK_QUEUE"] = "privacy-" + Guid.NewGuid().ToString("N")[..8],
            ["PLEXSYNC_RECONCILE_SCHEDULE"] = "off",
        };
        var worker = fixture.Start(["worker"], env);
        try
        {
            var control = fixture.RunAsync("sync", "--scene", $"{Control}", "--wait");
            var (code, output) = await fixture.RunAsync(env, "sync", "--scene", $"{Encrypted},{EncryptedFailing}", "--wait");

            // `sync --wait` decrypts the outcomes and the failure's message.
            Assert.True(code == 1, output);
            Assert.Matches($@"{Encrypted}\s+│?\s*synced", output);
            Assert.Contains("InvalidScene", output, StringComparison.Ordinal);
            Assert.Contains("\"date\"", output, StringComparison.Ordinal);
            var (controlCode, controlOutput) = await control;
            Assert.True(controlCode == 0, controlOutput);

            // `failed` with the keys after a rotation (a new key first, the old one kept) reads the encrypted failure.
            await WaitForClosedAsync(EncryptedFailing);
            var rotatedEnv = new Dictionary<string, string>(env) { ["PLEXSYNC_ENCRYPTION_KEYS"] = rotated };
            var (failedCode, failedOutput) = await fixture.RunAsync(rotatedEnv, "failed", "--json");
            Assert.True(failedCode == 0, failedOutput);
            var failed = JsonDocument.Parse(failedOutput[failedOutput.IndexOf('[', StringComparison.Ordinal)..]).RootElement.EnumerateArray()
                .Single(e => e.GetProperty("sceneId").GetString() == $"{EncryptedFailing}");
            Assert.Equal("InvalidScene", failed.GetProperty("errorType").GetString());
            Assert.Contains("\"date\"", failed.GetProperty("message").GetString(), StringComparison.Ordinal);

            // The check itself: on the control run it must find every kind of scene data, else it proves nothing.
            var controlHistory = await RawHistoryAsync(Control);
            Assert.All(Markers(Control), m => Assert.True(controlHistory.Contains(m, StringComparison.Ordinal), $"the control history lacks {m}"));
            foreach (var id in new[] { Encrypted, EncryptedFailing })
            {
                var history = await RawHistoryAsync(id);
                Assert.Contains(AesGcmPayloadCodec.EncryptedEncoding, history, StringComparison.Ordinal);
                var leaked = Markers(id).Append(InvalidDate).Where(m => history.Contains(m, StringComparison.Ordinal)).ToList();
                Assert.True(leaked.Count == 0, $"the encrypted history of scene {id} holds {string.Join(", ", leaked)}");
            }
        }
        finally
        {
            // Leave no failed encrypted sync behind: other tests list failures without the keys.
            fixture.Library.Stash.Update(EncryptedFailing, s => s.Date = "2023-02-28");
            var (fixedCode, fixedOutput) = await fixture.RunAsync(env, "sync", "--scene", $"{EncryptedFailing}", "--wait");
            await worker.SignalAsync("TERM");
            await worker.WaitForExitAsync(Limit);
            Assert.True(fixedCode == 0, fixedOutput);
        }
    }

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(AesGcmPayloadCodec.KeySize));

    // Distinct words for each kind of scene data, none of them in any other test's data.
    private static string[] Markers(int id) =>
        [$"Privacy title {id} q7", $"Privacy performer {id} z3", $"Privacy tag {id} k9", $"privacy-path-{id}-j4"];

    private static StashScene MarkedScene(int id)
    {
        var markers = Markers(id);
        var scene = SimulatedLibrary.SeedScene(id);
        scene.Title = markers[0];
        scene.Performers = [markers[1]];
        scene.Tags = [markers[2]];
        scene.Files = [$"{SimulatedLibrary.StashRoot}/{markers[3]}/scene.mp4"];
        return scene;
    }

    // What the server stores, as protobuf bytes and as the CLI's JSON (which shows JSON payloads decoded):
    // what an operator without the keys sees.
    private async Task<string> RawHistoryAsync(int sceneId)
    {
        var workflowId = SceneSyncWorkflow.WorkflowId($"{sceneId}");
        var description = await fixture.Client.GetWorkflowHandle(workflowId).DescribeAsync();
        var history = await fixture.Client.GetWorkflowHandle(workflowId, description.RunId).FetchHistoryAsync();
        var bytes = Encoding.Latin1.GetString(history.Events.SelectMany(e => e.ToByteArray()).ToArray());
        return bytes + "\n" + await CliHistoryJsonAsync(workflowId, description.RunId!);
    }

    private async Task<string> CliHistoryJsonAsync(string workflowId, string runId)
    {
        var start = new ProcessStartInfo(TestServers.Cli())
        {
            ArgumentList = { "workflow", "show", "--workflow-id", workflowId, "--run-id", runId, "--address", fixture.Client.Connection.Options.TargetHost!, "--namespace", "default", "--output", "json" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(Limit);
        var output = process.StandardOutput.ReadToEndAsync(cts.Token);
        var errors = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, await errors);
        var json = await output;
        Assert.Contains("WorkflowExecutionStarted", json, StringComparison.OrdinalIgnoreCase);
        return json;
    }

    // The commands read visibility, which lags a workflow's close a little.
    private async Task WaitForClosedAsync(int sceneId)
    {
        var query = $"WorkflowId = '{SceneSyncWorkflow.WorkflowId($"{sceneId}")}' AND ExecutionStatus = 'Failed'";
        await Poll.UntilAsync(
            async ct => (await fixture.Client.CountWorkflowsAsync(query, new WorkflowCountOptions { Rpc = new RpcOptions { CancellationToken = ct } })).Count >= 1,
            Limit,
            $"visibility to list {query}");
    }
}
