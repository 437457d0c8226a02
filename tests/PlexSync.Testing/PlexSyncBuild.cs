using PlexSync.Demo;

namespace PlexSync.Testing;

/// <summary>
/// How to run one build of plexsync: the build beside the tests (<c>dotnet plexsync.dll</c>), a published program,
/// or another build of the same design (the benchmark's baseline), which has the same commands, config keys and
/// PLEXSYNC_* variables.
/// </summary>
/// <param name="Executable">The program to start.</param>
/// <param name="Prefix">Arguments before the command (the .dll that <c>dotnet</c> runs).</param>
public sealed record PlexSyncBuild(string Executable, IReadOnlyList<string> Prefix)
{
    /// <summary>What a worker of this design logs once it polls: this build's line, and the Go build's.</summary>
    public static IReadOnlyList<string> ReadyLogs { get; } = ["Worker polling", "Worker started"];

    /// <summary>Gets the build beside the tests.</summary>
    public static PlexSyncBuild Beside { get; } = new("dotnet", [Programs.PlexSync]);

    /// <summary>
    /// The Go build of this design where this checkout has it unpacked beside the Temporal CLI
    /// (.tools/plexsync-go; ../shared/baseline/README.md says how); null when it has not.
    /// </summary>
    public static PlexSyncBuild? GoBaseline() =>
        TemporalCli.FindInCheckout() is { } cli && Path.Combine(Path.GetDirectoryName(cli)!, "plexsync-go") is var go && File.Exists(go) ? At(go) : null;

    /// <summary>The build at <paramref name="path"/>: a .dll runs through <c>dotnet</c>, anything else as a program.</summary>
    public static PlexSyncBuild At(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"no plexsync build at {full}", full);
        }

        return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new("dotnet", [full]) : new(full, []);
    }

    /// <summary>Starts this build with <paramref name="args"/> (see <see cref="PlexSyncProcess.Start"/>).</summary>
    public PlexSyncProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null) =>
        PlexSyncProcess.Start([.. Prefix, .. args], environment, stdin, Executable);

    /// <summary>Runs this build to its end (see <see cref="PlexSyncProcess.RunAsync"/>).</summary>
    public Task<(int ExitCode, string Output)> RunAsync(
        IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null) =>
        PlexSyncProcess.RunAsync([.. Prefix, .. args], timeout, environment, stdin, Executable);

    public override string ToString() => string.Join(' ', [Executable == "dotnet" ? "dotnet" : Executable, .. Prefix]);
}
