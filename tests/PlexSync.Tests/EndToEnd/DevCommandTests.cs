using System.Globalization;
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

    // Go: TestDevRunsServerAndWorkerAndStopsOnCtrlC
    [Fact]
    public async Task Dev_SyncsThroughItsServerAndWorker_StopsOnCtrlC_AndKeepsItsDataAcrossRestarts()
    {
        const int sceneId = 103;
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
        var directory = Directory.CreateTempSubdirectory("plexsync-dev-").FullName;
        try
        {
            var address = $"127.0.0.1:{LocalPorts.Free()}";
            var config = Path.Combine(directory, "plexsync.yaml");
            var yaml = await File.ReadAllTextAsync(fixture.ConfigPath);
            await File.WriteAllTextAsync(config, yaml.Replace(fixture.Client.Connection.Options.TargetHost!, address, StringComparison.Ordinal));
            string[] dev =
            [
                "dev", "--port", address.Split(':')[1], "--ui-port", LocalPorts.Free().ToString(CultureInfo.InvariantCulture),
                "--data-dir", Path.Combine(directory, "data"), "--config", config,
            ];

            await using (var first = fixture.Start(dev))
            {
                await first.WaitForLogAsync("Temporal dev server on", Limit);
                var (code, output) = await fixture.RunAsync("sync", "--scene", "103", "--wait", "--config", config);
                Assert.True(code == 0, output);
                Assert.Matches(@"103\s+│?\s*synced", output);
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
                var description = await client.GetWorkflowHandle(SceneSyncWorkflow.WorkflowId("103")).DescribeAsync();
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

    private static async Task StopAsync(PlexSyncProcess dev)
    {
        await dev.SignalAsync("INT");
        var code = await dev.WaitForExitAsync(Limit);
        Assert.True(code is 0 or 130, $"exit status {code}:\n{dev.Errors}");
    }
}
