using System.Globalization;
using PlexSync.Commands;
using PlexSync.Simulators;
using PlexSync.Tests.EndToEnd;
using PlexSync.Workflows;
using Temporalio.Client;
using Xunit.Abstractions;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// What `./publish.sh` makes for linux-x64 (published once for these tests, about 2 minutes, plus 2 for Native
/// AOT): the single-file program runs as the build beside the tests does, and the Stash plugin folder holds the
/// manifest and a program that runs every hook and task the manifest names. With clang installed that program is
/// the Native AOT build (what makes the hook start in tens of milliseconds rather than hundreds).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PublishedBuildTests(EndToEndFixture fixture, PublishedBuild published, ITestOutputHelper output) : IClassFixture<PublishedBuild>
{
    // The command whose --help the single-file test compares with the JIT build's.
    private const string HelpCommand = "check";
    private const string TemporalDown = "127.0.0.1:1";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task SingleFile_RunsLikeTheTestedBuild_AndSpoolsAHookWhenTemporalIsDown()
    {
        foreach (var args in new[] { ["--version"], new[] { HelpCommand, "--help" } })
        {
            var jit = await PlexSyncProcess.RunAsync(args, Limit);
            Assert.Equal((0, jit.Output), await PlexSyncProcess.RunAsync(args, Limit, executable: published.SingleFile));
        }

        var spool = Path.Combine(published.Root, "single-file-spool.jsonl");
        var (code, reply) = await HookAsync(published.SingleFile, PluginInputs.SceneUpdate(902, """{"id":"902","title":"x"}""", "title"), new() { ["PLEXSYNC_SPOOL_PATH"] = spool, ["PLEXSYNC_TEMPORAL_ADDRESS"] = TemporalDown });
        Assert.True(code == 0, reply);
        Assert.Contains("spooled", reply, StringComparison.Ordinal);
        Assert.Contains("\"902\"", await File.ReadAllTextAsync(spool), StringComparison.Ordinal);

        Figures.Report(output, $"./publish.sh {PublishedBuild.Rid}", string.Create(
            CultureInfo.InvariantCulture,
            $"{published.Took.TotalSeconds:0} s; single file {Megabytes(published.SingleFile)} MB; plugin folder ({(published.PluginIsNativeAot ? "Native AOT" : "single file")}) {Megabytes(published.PluginFolder)} MB"));
    }

    [Fact]
    public async Task PluginFolder_HoldsTheManifestAndTheProgramItRuns_AsDoesItsArchive()
    {
        string[] files = ["plexsync", "plexsync.example.yaml", "plexsync.yml", .. published.PluginIsNativeAot ? ["libtemporalio_sdk_core_c_bridge.so"] : Array.Empty<string>()];
        Assert.Equal(files.Order(StringComparer.Ordinal), Directory.GetFiles(published.PluginFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "stash-plugin", "plexsync.yml")), await File.ReadAllTextAsync(Path.Combine(published.PluginFolder, "plexsync.yml")));
        var (versionCode, version) = await PlexSyncProcess.RunAsync(["--version"], Limit, executable: Path.Combine(published.PluginFolder, "plexsync"));
        Assert.True(versionCode == 0, version);

        // Unpacked into Stash's plugins folder, the archive makes the folder plexsync/ with the same files.
        var (code, listing) = await PlexSyncProcess.RunAsync(["-tzf", published.PluginArchive], Limit, executable: "tar");
        Assert.True(code == 0, listing);
        Assert.Equal(files.Select(f => "plexsync/" + f).Prepend("plexsync/").Order(StringComparer.Ordinal), listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task NativeAotPlugin_HookStartsTheSync_AndSpoolsWhenTemporalIsDown()
    {
        var binary = NativeAotPluginProgram();
        var jit = await PlexSyncProcess.RunAsync(["--version"], Limit);
        Assert.Equal((0, jit.Output), await PlexSyncProcess.RunAsync(["--version"], Limit, executable: binary));

        // Every end-to-end test has scene IDs of its own on the shared fixture.
        const int sceneId = 901;
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
        fixture.Library.Stash.Update(sceneId, s => s.Title = "Edited, hook built with Native AOT");
        var spool = Path.Combine(published.Root, "aot-spool.jsonl");
        var environment = new Dictionary<string, string> { ["PLEXSYNC_SPOOL_PATH"] = spool };
        var (code, reply) = await HookAsync(binary, PluginInputs.SceneUpdate(sceneId, """{"id":"901","title":"x"}""", "title"), environment);
        Assert.True(code == 0, reply);
        var handle = fixture.Client.GetWorkflowHandle<SceneSyncWorkflow, SceneSyncResult>(SceneSyncWorkflow.WorkflowId("901"));
        Assert.Equal(Outcomes.Synced, (await handle.GetResultAsync().WaitAsync(Limit)).Outcome);
        Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));
        Assert.Equal("Edited, hook built with Native AOT", item.Title);

        // Temporal down: the request goes to the spool, as with the JIT build.
        environment["PLEXSYNC_TEMPORAL_ADDRESS"] = TemporalDown;
        (code, reply) = await HookAsync(binary, PluginInputs.SceneUpdate(sceneId, """{"id":"901","title":"x"}""", "title"), environment);
        Assert.True(code == 0, reply);
        Assert.Contains("spooled", reply, StringComparison.Ordinal);
        Assert.Contains("\"901\"", await File.ReadAllTextAsync(spool), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task NativeAotPlugin_RunsEveryTaskOfTheManifest_AndTheRenameHook()
    {
        var binary = NativeAotPluginProgram();

        // A library and worker of their own: a reconciliation of all scenes would sync the shared library's,
        // which other end-to-end tests expect never synced.
        await using var world = await WorkerWorld.StartAsync(fixture.Client, 12);
        await world.StartWorkerAsync();
        string[] hook = ["hook", "--config", world.ConfigPath];
        world.Stash.Update(world.Id(1), s => s.Title = "Edited just now");

        // The tasks' reconciliations run one at a time; each input must reach the worker whole (scope, window).
        var since = DateTimeOffset.UtcNow - PluginActions.RecentWindow;
        foreach (var (mode, scenes) in new[] { (PluginActions.ReconcileRecent, world.Stash.Scenes().Count(s => s.UpdatedAt > since)), (PluginActions.ReconcileAll, world.Stash.Scenes().Count) })
        {
            var (code, reply) = await HookAsync(binary, PluginInputs.Task(mode), args: hook);
            Assert.True(code == 0, reply);
            Assert.Contains($"started (workflow {ReconcileWorkflow.DefaultId})", reply, StringComparison.Ordinal);
            Assert.Equal(scenes, (await ReconcileResultAsync(ReconcileWorkflow.DefaultId)).Seen);
        }

        // Status counts through visibility, which learns of the reconciliation's end a moment after its result.
        await Poll.UntilAsync(
            async ct => (await fixture.Client.CountWorkflowsAsync($"WorkflowType = '{ReconcileWorkflow.Name}' AND ExecutionStatus = 'Running'", new WorkflowCountOptions { Rpc = new RpcOptions { CancellationToken = ct } })).Count == 0,
            Limit);
        var (statusCode, status) = await HookAsync(binary, PluginInputs.Task(PluginActions.Status), args: hook);
        Assert.True(statusCode == 0, status);
        Assert.Matches(@"\d+ syncs running; last 24 h: \d+ synced, \d+ unchanged, \d+ skipped, \d+ failed; 0 reconciliations running; \d+ spooled", status);

        // A tag no scene has: a reconciliation of exactly its scenes sees none (one that lost the tag would see them all).
        const string tagId = "90901";
        var (tagCode, tagReply) = await HookAsync(binary, PluginInputs.Hook(int.Parse(tagId, CultureInfo.InvariantCulture), "Tag.Update.Post", $$"""{"id":"{{tagId}}","name":"Renamed"}""", "name"), args: hook);
        Assert.True(tagCode == 0, tagReply);
        var tagWorkflow = PluginActions.EntityWorkflowId("tag", tagId);
        Assert.Contains(tagWorkflow, tagReply, StringComparison.Ordinal);
        var result = await ReconcileResultAsync(tagWorkflow);
        Assert.True(result.Done);
        Assert.Equal(0, result.Seen);
    }

    [SkippableFact]
    public async Task NativeAotPlugin_Worker_RefusesToStart_NamingTheSingleFileBuild()
    {
        // Under Native AOT its activities could not be built; the plugin runs only the hook.
        await using var worker = fixture.Start(["worker"], executable: NativeAotPluginProgram());
        Assert.Equal(ExitCodes.Failure, await worker.WaitForExitAsync(Limit));
        Assert.Contains("run the worker with the single-file build", worker.Output + worker.Errors, StringComparison.Ordinal);
    }

    /// <summary>The Native AOT program of the plugin folder; skips, saying why, where publish.sh could not build it.</summary>
    private string NativeAotPluginProgram()
    {
        Skip.IfNot(published.PluginIsNativeAot, "Native AOT needs clang and lld (apt-get install clang lld); .ci/run installs them. The plugin folder holds the single-file build.");
        return Path.Combine(published.PluginFolder, "plexsync");
    }

    private async Task<(int Code, string Output)> HookAsync(string binary, string input, Dictionary<string, string>? environment = null, string[]? args = null)
    {
        await using var hook = fixture.Start(args ?? ["hook"], environment, input, binary);
        return (await hook.WaitForExitAsync(Limit), hook.Output + hook.Errors);
    }

    private async Task<ReconcileProgress> ReconcileResultAsync(string workflowId)
    {
        var handle = fixture.Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(workflowId);
        using var cts = new CancellationTokenSource(Limit);
        return await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
    }

    private static long Megabytes(string path) =>
        (File.Exists(path) ? new FileInfo(path).Length : Directory.GetFiles(path).Sum(f => new FileInfo(f).Length)) / 1_000_000;
}
