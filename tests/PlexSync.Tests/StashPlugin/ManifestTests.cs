using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PlexSync.Tests.StashPlugin;

/// <summary>
/// Checks stash-plugin/plexsync.yml the way Stash reads it: a strict decode with Stash's own keys
/// (pkg/plugin/config.go, yaml SetStrict(true)) and a port of how Stash turns `exec` into a command
/// (Config.getExecCommand).
/// </summary>
public sealed class ManifestTests
{
    // Stash's hook triggers that PlexSync may use (pkg/plugin/hook/hooks.go).
    private static readonly HashSet<string> StashTriggers =
    [
        "Scene.Create.Post", "Scene.Update.Post", "Scene.Destroy.Post",
        "Performer.Update.Post", "Tag.Update.Post", "Studio.Update.Post", "Group.Update.Post", "Movie.Update.Post",
    ];

    [Fact]
    public void Manifest_DecodesStrictlyWithStashKeys()
    {
        var manifest = Load();
        Assert.Equal("PlexSync", manifest.Name);
        Assert.Equal("raw", manifest.Interface);
        Assert.NotEmpty(manifest.Hooks);
        Assert.All(manifest.Hooks.SelectMany(h => h.TriggeredBy), t => Assert.Contains(t, StashTriggers));
        Assert.Contains("Scene.Create.Post", manifest.Hooks.SelectMany(h => h.TriggeredBy));
        Assert.Contains("Scene.Update.Post", manifest.Hooks.SelectMany(h => h.TriggeredBy));
    }

    // One version: Directory.Build.props reads the manifest's, so Stash, `plexsync --version` and the assemblies agree.
    [Fact]
    public async Task Version_OfTheManifest_IsTheProgramsAndEveryAssemblys()
    {
        var version = Load().Version ?? "";
        Assert.Matches(@"^\d+\.\d+\.\d+$", version);
        var (code, output) = await PlexSyncProcess.RunAsync(["--version"], TimeSpan.FromMinutes(1));
        Assert.Equal(0, code);
        Assert.StartsWith(version + "+", output.Trim(), StringComparison.Ordinal);
        foreach (var assembly in new[] { typeof(Cli), typeof(Workflows.SceneSyncWorkflow), typeof(Clients.StashClient), typeof(Domain.Sanitizer) }.Select(t => t.Assembly))
        {
            Assert.Equal(Version.Parse(version), assembly.GetName().Version is { } v ? new Version(v.Major, v.Minor, v.Build) : null);
        }
    }

    [Fact]
    public void StrictDecode_UnknownKey_IsRefusedAsStashRefusesIt()
    {
        var yaml = File.ReadAllText(ManifestPath()) + "\nunknownKey: 1\n";
        Assert.ThrowsAny<YamlDotNet.Core.YamlException>(() => Decode(yaml));
    }

    [Fact]
    public void Exec_RunsThePluginFoldersProgram_EvenWithAnotherPlexsyncOnPath()
    {
        using var folders = new Folders();
        var plugin = folders.Make("stash/plugins/plexsync", withProgram: true);
        var onPath = folders.Make("usr/local/bin", withProgram: true);
        var stashWorkingFolder = folders.Make("stash", withProgram: false);

        var command = GetExecCommand(Load(), Path.Combine(plugin, "plexsync.yml"), [onPath], stashWorkingFolder);

        Assert.Equal(Path.Combine(plugin, "plexsync"), Path.GetFullPath(command[0], stashWorkingFolder));
        Assert.Equal(["hook", "--config", Path.Combine(plugin, "plexsync.yaml")], command[1..]);
    }

    [Fact]
    public void Exec_WithPluginDirInTheProgram_WouldNotStart_WhichIsWhyTheManifestAvoidsIt()
    {
        // The rule this test ports: {pluginDir} in the program is left as it is, so such a manifest
        // points at a file that cannot exist. This guards the port, not the manifest.
        var manifest = Load() with { Exec = ["{pluginDir}/plexsync", "hook"] };
        var command = GetExecCommand(manifest, "/stash/plugins/plexsync/plexsync.yml", [], "/stash");
        Assert.Equal("/stash/plugins/plexsync/{pluginDir}/plexsync", command[0]);
    }

    // Port of Stash's Config.getExecCommand: exec.LookPath on the program; when that fails, the program
    // is joined to the plugin's folder; {pluginDir} is replaced in the arguments only.
    private static string[] GetExecCommand(Manifest manifest, string manifestPath, IReadOnlyList<string> path, string workingFolder)
    {
        var command = manifest.Exec.ToArray();
        var pluginDir = Path.GetDirectoryName(manifestPath)!;
        if (LookPath(command[0], path, workingFolder) is null)
        {
            command[0] = Path.Join(pluginDir, command[0]);
        }

        for (var i = 1; i < command.Length; i++)
        {
            command[i] = command[i].Replace("{pluginDir}", pluginDir, StringComparison.Ordinal);
        }

        return [.. command.Select(c => c.Replace("/./", "/", StringComparison.Ordinal))];
    }

    // Go's exec.LookPath on Unix: a name with a slash is checked as it is (relative to the working
    // folder); any other name is searched in PATH.
    private static string? LookPath(string program, IReadOnlyList<string> path, string workingFolder)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(Path.GetFullPath(program, workingFolder)) ? program : null;
        }

        return path.Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }

    private static Manifest Load() => Decode(File.ReadAllText(ManifestPath()));

    private static Manifest Decode(string yaml) =>
        new DeserializerBuilder().WithNamingConvention(NullNamingConvention.Instance).Build().Deserialize<Manifest>(yaml);

    private static string ManifestPath() => Path.Combine(AppContext.BaseDirectory, "repo", "stash-plugin", "plexsync.yml");

    // Stash's plugin Config keys (pkg/plugin/config.go); a key outside these makes Stash refuse the plugin.
    private sealed record Manifest
    {
        [YamlMember(Alias = "name")]
        public string Name { get; init; } = "";

        [YamlMember(Alias = "description")]
        public string? Description { get; init; }

        [YamlMember(Alias = "url")]
        public string? Url { get; init; }

        [YamlMember(Alias = "version")]
        public string? Version { get; init; }

        [YamlMember(Alias = "interface")]
        public string Interface { get; init; } = "";

        [YamlMember(Alias = "exec")]
        public List<string> Exec { get; init; } = [];

        [YamlMember(Alias = "errLog")]
        public string? ErrLog { get; init; }

        [YamlMember(Alias = "tasks")]
        public List<Operation> Tasks { get; init; } = [];

        [YamlMember(Alias = "hooks")]
        public List<Hook> Hooks { get; init; } = [];

        [YamlMember(Alias = "settings")]
        public Dictionary<string, Setting> Settings { get; init; } = [];

        [YamlMember(Alias = "requires")]
        public List<string> Requires { get; init; } = [];
    }

    private record Operation
    {
        [YamlMember(Alias = "name")]
        public string Name { get; init; } = "";

        [YamlMember(Alias = "description")]
        public string Description { get; init; } = "";

        [YamlMember(Alias = "execArgs")]
        public List<string> ExecArgs { get; init; } = [];

        [YamlMember(Alias = "defaultArgs")]
        public Dictionary<string, string> DefaultArgs { get; init; } = [];
    }

    private sealed record Hook : Operation
    {
        [YamlMember(Alias = "triggeredBy")]
        public List<string> TriggeredBy { get; init; } = [];
    }

    private sealed record Setting
    {
        [YamlMember(Alias = "type")]
        public string Type { get; init; } = "";

        [YamlMember(Alias = "displayName")]
        public string DisplayName { get; init; } = "";

        [YamlMember(Alias = "description")]
        public string Description { get; init; } = "";
    }

    private sealed class Folders : IDisposable
    {
        private readonly string root = Directory.CreateTempSubdirectory("plexsync-plugin-").FullName;

        public string Make(string relative, bool withProgram)
        {
            var dir = Path.Combine(root, relative);
            Directory.CreateDirectory(dir);
            if (withProgram)
            {
                File.WriteAllText(Path.Combine(dir, "plexsync"), "#!/bin/sh\n");
            }

            return dir;
        }

        public void Dispose() => Directory.Delete(root, recursive: true);
    }
}
