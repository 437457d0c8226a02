using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>`plexsync dev`: its own Temporal dev server and a worker, against the fixture's simulators.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DevCommandTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    // The server listens where temporal.address points, so that status, the hook and sync find it without flags.
    [Fact]
    public async Task Dev_ServesOnTemporalAddress_SyncsThroughItsWorker_StopsOnCtrlC_AndKeepsItsDataAcrossRestarts()
    {
        // IDs of this test's own: the end-to-end tests share one simulated library, and two items of one path are ambiguous.
        const int sceneId = 7203;
        const int hooked = 7204;
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(hooked), inPlex: true);
        var directory = Directory.CreateTempSubdirectory("plexsync-dev-").FullName;
        try
        {
            var address = $"127.0.0.1:{LocalPorts.Free()}";
            var config = await fixture.ConfigWithTemporalAtAsync(directory, address);
            string[] dev = ["dev", "--ui-port", LocalPorts.Free().ToString(CultureInfo.InvariantCulture), "--data-dir", Path.Combine(directory, "data"), "--config", config];

            await using (var first = fixture.Start(dev))
            {
                await first.WaitForLogAsync("Temporal dev server on " + address, Limit);
                var (statusCode, status) = await fixture.RunAsync("status", "--config", config);
                Assert.True(statusCode == 0, status);

                fixture.Library.Stash.Update(hooked, s => s.Title = "Edited while plexsync dev runs");

                // A JIT hook on a busy machine can take longer than its default 3 s, and would then spool: give it time.
                string hookSaid;
                await using (var hook = fixture.Start(["hook", "--timeout", "60s", "--config", config], stdin: PluginInputs.SceneUpdate(hooked, """{"id":"7204","title":"x"}""", "title")))
                {
                    Assert.True(await hook.WaitForExitAsync(Limit) == 0, hook.Output + hook.Errors);
                    hookSaid = hook.Output + hook.Errors;
                }

                await Poll.UntilAsync(
                    () => fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(hooked), out var edited) && edited.Title == "Edited while plexsync dev runs",
                    Limit,
                    "the hook's edit in Plex",
                    () => $"title {(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(hooked), out var item) ? item.Title : "(no item)")}; " +
                        $"the hook said: {hookSaid}; plexsync dev said: {first.Errors}");

                var (code, output) = await fixture.RunAsync("sync", "--scene", "7203", "--wait", "--config", config);
                Assert.True(code == 0, output);
                Assert.Matches(@"7203\s+│?\s*synced", output);
                Assert.True(fixture.Library.Stash.TryGetScene(sceneId, out var scene));
                Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));
                Assert.Equal(scene.Title, item.Title);
                Assert.Equal(scene.Details, item.Summary);
                Assert.Equal(scene.Tags, item.TagsOf("genre"));
                Assert.True(item.IsLocked("title"));
                await StopAsync(first);
            }

            await using (var second = fixture.Start(dev))
            {
                await second.WaitForLogAsync("Temporal dev server on", Limit);
                var client = await TemporalClient.ConnectAsync(new(address) { Namespace = "default" });
                var description = await client.GetWorkflowHandle(SceneSyncWorkflow.WorkflowId("7203")).DescribeAsync();
                Assert.Equal(WorkflowExecutionStatus.Completed, description.Status);

                var ns = await client.WorkflowService.DescribeNamespaceAsync(new DescribeNamespaceRequest { Namespace = "default" });
                Assert.Equal(TimeSpan.FromDays(30), ns.Config.WorkflowExecutionRetentionTtl.ToTimeSpan());

                // For the credential check, which runs last; the fixture records the processes' output.
                await CredentialScan.RecordHistoriesAsync("the `plexsync dev` server", client);
                await StopAsync(second);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Dev_WithARemoteTemporalAddress_StopsNamingTheKeyAndTheWorkerCommand()
    {
        var directory = Directory.CreateTempSubdirectory("plexsync-dev-").FullName;
        try
        {
            var (code, output) = await fixture.RunAsync("dev", "--config", await fixture.ConfigWithTemporalAtAsync(directory, "temporal.example.net:7233"), "--data-dir", directory);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains("temporal.address is temporal.example.net:7233, which is not this machine", output, StringComparison.Ordinal);
            Assert.Contains("`plexsync worker`", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Dev_OnAPortInUse_StopsNamingThePort()
    {
        var directory = Directory.CreateTempSubdirectory("plexsync-dev-").FullName;
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        try
        {
            var (code, output) = await fixture.RunAsync("dev", "--config", await fixture.ConfigWithTemporalAtAsync(directory, $"127.0.0.1:{port}"), "--data-dir", directory);
            Assert.Equal(ExitCodes.Failure, code);
            Assert.Contains($"127.0.0.1:{port}, is in use", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Stops a `plexsync dev` as Ctrl-C does, and checks that it exits cleanly.</summary>
    internal static async Task StopAsync(PlexSyncProcess dev)
    {
        await dev.SignalAsync("INT");
        var code = await dev.WaitForExitAsync(Limit);
        Assert.True(code is 0 or 130, $"exit status {code}:\n{dev.Errors}");
    }
}
