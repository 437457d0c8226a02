using System.Text.Json;
using PlexSync.Simulators;
using PlexSync.Tests.EndToEnd;
using PlexSync.Workflows;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// `plexsync hook` published with Native AOT (what makes the hook start in tens of milliseconds rather
/// than hundreds): it must build, and work as the JIT build does, for the paths Stash runs.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class NativeAotHookTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private static readonly string[] TitleField = ["title"];

    [SkippableFact]
    public async Task NativeAotBuild_HookStartsTheSync_AndSpoolsWhenTemporalIsDown()
    {
        Skip.IfNot(OnPath("clang"), "Native AOT needs clang and lld (apt-get install clang lld); .ci/run installs them");
        var directory = Directory.CreateTempSubdirectory("plexsync-aot-").FullName;
        try
        {
            var binary = await PublishAsync(directory);
            var jit = await PlexSyncProcess.RunAsync(["--version"], Limit);
            var aot = await PlexSyncProcess.RunAsync(["--version"], Limit, executable: binary);
            Assert.Equal((0, jit.Output), aot);

            // Every end-to-end test has scene IDs of its own on the shared fixture.
            const int sceneId = 901;
            fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
            fixture.Library.Stash.Update(sceneId, s => s.Title = "Edited, hook built with Native AOT");
            var spool = Path.Combine(directory, "spool.jsonl");
            var environment = new Dictionary<string, string> { ["PLEXSYNC_SPOOL_PATH"] = spool };
            var (code, output) = await HookAsync(binary, sceneId, environment);
            Assert.True(code == 0, output);
            var handle = fixture.Client.GetWorkflowHandle<SceneSyncWorkflow, SceneSyncResult>(SceneSyncWorkflow.WorkflowId("901"));
            Assert.Equal(Outcomes.Synced, (await handle.GetResultAsync().WaitAsync(Limit)).Outcome);
            Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));
            Assert.Equal("Edited, hook built with Native AOT", item.Title);

            // Temporal down: the request goes to the spool, as with the JIT build.
            environment["PLEXSYNC_TEMPORAL_ADDRESS"] = "127.0.0.1:1";
            (code, output) = await HookAsync(binary, sceneId, environment);
            Assert.True(code == 0, output);
            Assert.Contains("spooled", output, StringComparison.Ordinal);
            Assert.Contains("\"901\"", await File.ReadAllTextAsync(spool), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> PublishAsync(string directory)
    {
        var output = Path.Combine(directory, "out");
        using var publish = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", Path.Combine(Repository.Root(), "src", "PlexSync"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
                "--artifacts-path", Path.Combine(directory, "artifacts"), "-o", output,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await publish.WaitForExitAsync(cts.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish -p:PublishAot=true failed:\n{await log}\n{await errors}");
        return Path.Combine(output, "plexsync");
    }

    private async Task<(int Code, string Output)> HookAsync(string binary, int sceneId, IReadOnlyDictionary<string, string> environment)
    {
        var input = JsonSerializer.Serialize(new
        {
            server_connection = new { Scheme = "http", Host = "127.0.0.1", Port = 9999 },
            args = new { hookContext = new { id = sceneId, type = "Scene.Update.Post", input = new { title = "x" }, inputFields = TitleField } },
        });
        await using var hook = fixture.Start(["hook"], environment, input, binary);
        return (await hook.WaitForExitAsync(Limit), hook.Output + hook.Errors);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
