using System.Globalization;
using System.Text.RegularExpressions;
using PlexSync.Tests.EndToEnd;
using PlexSync.Workflows;
using Xunit.Abstractions;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// What `./publish.sh` makes for linux-x64 (published once for these tests, about 2 minutes, plus 2 for the plugin
/// program, plus 2 for the whole program with Native AOT): the single-file program runs as the build beside the tests
/// does, the Native AOT program runs the worker, and the Stash plugin folder holds the
/// manifest and a program that runs every hook and task the manifest names and refuses the rest. That program is
/// built with invariant globalization (no ICU) and, with clang installed, Native AOT (what makes the hook start in
/// tens of milliseconds rather than hundreds).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class PublishedBuildTests(EndToEndFixture fixture, PublishedBuild published, ITestOutputHelper output) : IClassFixture<PublishedBuild>
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
        await using (var hook = fixture.Start(
            ["hook"], new Dictionary<string, string> { ["PLEXSYNC_SPOOL_PATH"] = spool, ["PLEXSYNC_TEMPORAL_ADDRESS"] = TemporalDown },
            PluginInputs.SceneUpdate(902, """{"id":"902","title":"x"}""", "title"), published.SingleFile))
        {
            Assert.True(await hook.WaitForExitAsync(Limit) == 0, hook.Errors);
            Assert.Contains("spooled", hook.Output, StringComparison.Ordinal);
        }

        Assert.Contains("\"902\"", await File.ReadAllTextAsync(spool), StringComparison.Ordinal);

        Figures.Report(output, $"./publish.sh {PublishedBuild.Rid}", string.Create(
            CultureInfo.InvariantCulture,
            $"{published.Took.TotalSeconds:0} s; single file {Megabytes(published.SingleFile)} MB; plugin folder ({(PublishedBuild.PluginIsNativeAot ? "Native AOT" : "single file")}) {Megabytes(published.PluginFolder)} MB"));
    }

    // The worker, its activities built by their factories, and the commands, all run by the Native AOT program: a
    // reconciliation syncs every scene of a library of its own, and a hook's sync brings an edit to Plex.
    [SkippableFact]
    public async Task AotProgram_WorkerReconcilesAndSyncsAHook()
    {
        Skip.IfNot(PublishedBuild.PluginIsNativeAot, "clang is not installed, so publish.sh builds nothing with Native AOT");
        var aot = PlexSyncBuild.At(published.AotProgram);
        await using var world = await WorkerWorld.StartAsync(fixture.Client, 6);
        await world.StartWorkerAsync(build: aot);

        var (code, output) = await aot.RunAsync(["reconcile", "--all", "--wait", "--config", world.ConfigPath], Limit);
        Assert.True(code == 0, output + world.WorkerLogs.Last().Text);
        await world.AssertInStepAsync(Enumerable.Range(1, 6));

        var id = world.Id(1);
        var idText = id.ToString(CultureInfo.InvariantCulture);
        world.Stash.Update(id, s => s.Title = "Edited, synced by the Native AOT worker");
        var (hookCode, reply) = await aot.RunAsync(["hook", "--config", world.ConfigPath], Limit, stdin: PluginInputs.SceneUpdate(id, $$"""{"id":"{{idText}}","title":"x"}""", "title"));
        Assert.True(hookCode == 0, reply);
        var sync = fixture.Client.GetWorkflowHandle<SceneSyncWorkflow, SceneSyncResult>(SceneSyncWorkflow.WorkflowId(idText));
        Assert.Equal(Outcomes.Synced, (await sync.GetResultAsync().WaitAsync(Limit)).Outcome);
        await world.AssertInStepAsync([1]);
    }

    // `plexsync dev` from the Native AOT program: its Temporal dev server on temporal.address and its worker, ready once
    // Temporal lists it polling, which `status` then finds; Ctrl-C stops both.
    [SkippableFact]
    public async Task AotProgram_RunsDev()
    {
        Skip.IfNot(PublishedBuild.PluginIsNativeAot, "clang is not installed, so publish.sh builds nothing with Native AOT");
        var directory = Directory.CreateTempSubdirectory("plexsync-aot-dev-").FullName;
        try
        {
            var address = $"127.0.0.1:{LocalPorts.Free()}";
            var config = await fixture.ConfigWithTemporalAtAsync(directory, address);
            string[] dev = ["dev", "--ui-port", LocalPorts.Free().ToString(CultureInfo.InvariantCulture), "--data-dir", Path.Combine(directory, "data"), "--config", config];
            await using var server = fixture.Start(dev, executable: published.AotProgram);
            await server.WaitForLogAsync("Temporal dev server on " + address, Limit);
            await server.WaitForLogAsync("Worker ready: Temporal lists it polling", Limit);

            var (code, status) = await PlexSyncProcess.RunAsync(["status", "--config", config], Limit, executable: published.AotProgram);
            Assert.True(code == 0, status + server.Errors);
            await DevCommandTests.StopAsync(server);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PluginFolder_HoldsTheManifestAndTheProgramItRuns_AsDoesItsArchive()
    {
        string[] files = ["plexsync", "plexsync.example.yaml", "plexsync.yml", .. PublishedBuild.PluginIsNativeAot ? ["libtemporalio_sdk_core_c_bridge.so"] : Array.Empty<string>()];
        Assert.Equal(files.Order(StringComparer.Ordinal), Directory.GetFiles(published.PluginFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "stash-plugin", "plexsync.yml")), await File.ReadAllTextAsync(Path.Combine(published.PluginFolder, "plexsync.yml")));
        var (versionCode, version) = await PlexSyncProcess.RunAsync(["--version"], Limit, executable: Path.Combine(published.PluginFolder, "plexsync"));
        Assert.True(versionCode == 0, version);

        // Unpacked into Stash's plugins folder, the archive makes the folder plexsync/ with the same files.
        var (code, listing) = await PlexSyncProcess.RunAsync(["-tzf", published.PluginArchive], Limit, executable: "tar");
        Assert.True(code == 0, listing);
        Assert.Equal(files.Select(f => "plexsync/" + f).Prepend("plexsync/").Order(StringComparer.Ordinal), listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    // Stash's Docker image has no ICU: both plugin programs are built with invariant globalization. The single file
    // carries its runtimeconfig inside; Native AOT drops the ICU loader altogether when globalization is invariant.
    [Fact]
    public async Task PluginPrograms_AreBuiltWithoutICU()
    {
        foreach (var program in new[] { Path.Combine(published.PluginFolder, "plexsync"), published.AlpinePluginProgram })
        {
            var bytes = await File.ReadAllBytesAsync(program);
            var invariant = Contains(bytes, "\"System.Globalization.Invariant\": true") || (IsElfWithoutBundle(bytes) && !Contains(bytes, "libicuuc"));
            Assert.True(invariant, $"{program} may load ICU");
        }

        Assert.False(Contains(await File.ReadAllBytesAsync(published.SingleFile), "\"System.Globalization.Invariant\": true"), "the single file (the worker) needs ICU to compare Unicode text");
    }

    // The README names every shared library the Alpine plugin program needs, with the package that gives it.
    [SkippableFact]
    public async Task AlpinePluginProgram_NeedsExactlyTheLibrariesTheReadmeLists()
    {
        Skip.IfNot(File.Exists("/usr/bin/readelf"), "readelf (binutils) is not installed");
        var needed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { published.AlpinePluginProgram, TemporalCoreLibrary(PublishedBuild.AlpineRid) })
        {
            var (code, dynamic) = await PlexSyncProcess.RunAsync(["-d", file], Limit, executable: "/usr/bin/readelf");
            Assert.True(code == 0, dynamic);
            needed.UnionWith(NeededLibrary().Matches(dynamic).Select(m => m.Groups[1].Value));
        }

        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root(), "README.md"));
        var section = readme[readme.IndexOf("### The plugin in Stash's Docker image", StringComparison.Ordinal)..];
        var listed = ReadmeLibrary().Matches(section[..section.IndexOf("\n#", 4, StringComparison.Ordinal)]).Select(m => m.Groups[1].Value);
        Assert.Equal(needed, new SortedSet<string>(listed, StringComparer.Ordinal));
    }

    [Fact]
    public async Task PluginProgram_HookStartsTheSync_AndSpoolsWhenTemporalIsDown()
    {
        var jit = await PlexSyncProcess.RunAsync(["--version"], Limit);
        Assert.Equal((0, jit.Output), await PlexSyncProcess.RunAsync(["--version"], Limit, executable: PluginProgram));
        await Paths.HookSyncs_AndSpoolsWhenTemporalIsDownAsync(901, Path.Combine(published.Root, "plugin-spool.jsonl"));
    }

    [Fact]
    public Task PluginProgram_RunsEveryTaskOfTheManifest_AndTheRenameHook() => Paths.EveryTaskAndTheRenameHookAsync("90901");

    [Fact]
    public Task PluginProgram_WorkerAndCheck_RefuseNamingTheSingleFileBuild() => Paths.WorkerAndCheck_RefuseNamingTheSingleFileBuildAsync();

    private string PluginProgram => Path.Combine(published.PluginFolder, "plexsync");

    private PluginPaths Paths => new(fixture, PluginProgram, new Dictionary<string, string>());

    // The Temporal core library the single file bundles, as the Temporalio package ships it for that system.
    private static string TemporalCoreLibrary(string rid)
    {
        var version = typeof(Temporalio.Client.TemporalClient).Assembly.GetName().Version!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "temporalio", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", rid, "native", "libtemporalio_sdk_core_c_bridge.so");
    }

    private static bool Contains(byte[] bytes, string text) => bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    // A single-file bundle carries the program's deps.json; a Native AOT program has none.
    private static bool IsElfWithoutBundle(byte[] bytes) => bytes.AsSpan().StartsWith("\u007FELF"u8) && !Contains(bytes, "plexsync.deps.json");

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLibrary();

    [GeneratedRegex(@"^\| `(lib[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeLibrary();

    private static long Megabytes(string path) =>
        (File.Exists(path) ? new FileInfo(path).Length : Directory.GetFiles(path).Sum(f => new FileInfo(f).Length)) / 1_000_000;
}
