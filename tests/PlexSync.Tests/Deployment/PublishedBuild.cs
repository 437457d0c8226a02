using System.Diagnostics;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// `./publish.sh --aot-program linux-x64 linux-musl-x64` run once for the tests that use what it makes (README
/// "Install"): the self-contained single-file program, and the Stash plugin folders, the linux-x64 one holding the
/// Native AOT build when clang is installed, and then also the whole program with Native AOT.
/// </summary>
public sealed class PublishedBuild : IAsyncLifetime
{
    public const string Rid = "linux-x64";

    /// <summary>Stash's own Docker image is Alpine: its plugin folder is built too, to check what it needs.</summary>
    public const string AlpineRid = "linux-musl-x64";

    /// <summary>Gets the folder publish.sh writes to, deleted with this fixture.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("plexsync-publish-").FullName;

    /// <summary>Gets the single-file program.</summary>
    public string SingleFile => Path.Combine(Root, Rid, "plexsync");

    /// <summary>Gets the whole program built with Native AOT (with ICU), when clang is installed.</summary>
    public string AotProgram => Path.Combine(Root, $"{Rid}-aot", "plexsync");

    /// <summary>Gets the plugin folder, as it goes into Stash's plugins folder.</summary>
    public string PluginFolder => Path.Combine(Root, $"stash-plugin-{Rid}", "plexsync");

    /// <summary>Gets the program of the plugin folder for Stash's Alpine image.</summary>
    public string AlpinePluginProgram => Path.Combine(Root, $"stash-plugin-{AlpineRid}", "plexsync", "plexsync");

    /// <summary>Gets the plugin folder's archive.</summary>
    public string PluginArchive => Path.Combine(Root, $"stash-plugin-{Rid}.tar.gz");

    /// <summary>Gets a value indicating whether the plugin folder holds the Native AOT build: publish.sh builds it when clang is installed.</summary>
    public static bool PluginIsNativeAot { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "clang")));

    /// <summary>Gets how long publish.sh took.</summary>
    public TimeSpan Took { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        // PlexSyncProcess runs any program to its end, here bash.
        var (code, output) = await PlexSyncProcess.RunAsync([Path.Combine(Repository.Root(), "publish.sh"), "--aot-program", "--out", Root, Rid, AlpineRid], TimeSpan.FromMinutes(20), executable: "bash");
        Took = clock.Elapsed;
        if (code != 0)
        {
            throw new InvalidOperationException($"./publish.sh --aot-program {Rid} {AlpineRid} failed ({code}):\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
