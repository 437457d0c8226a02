using System.Text.RegularExpressions;
using PlexSync.Commands;

namespace PlexSync.Tests.EndToEnd;

public sealed partial class CommandLineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Help_ListsEveryCommandWithWhatItDoes()
    {
        var (code, output) = await PlexSyncProcess.RunAsync(["--help"], Limit);
        Assert.Equal(0, code);
        // One line each, with its summary; the whole description is in `plexsync COMMAND --help`.
        var commands = Cli.CreateRootCommand().Subcommands.Cast<PlexSyncCommand>().ToList();
        Assert.Contains(commands, c => c.Name == "worker");
        foreach (var command in commands)
        {
            Assert.Matches(new Regex($@"^\s+{Regex.Escape(command.Name)}\s+{Regex.Escape(command.Summary)}$", RegexOptions.Multiline), output);
            var (ownCode, own) = await PlexSyncProcess.RunAsync([command.Name, "--help"], Limit);
            Assert.Equal(0, ownCode);
            Assert.Contains(command.Description!.Split('\n')[0].Trim(), own, StringComparison.Ordinal);
        }

        Assert.True(output.Split('\n').Length < 50, output);
    }

    // A plain hook command line skips the command tree; help and errors still come from it.
    [Fact]
    public async Task Hook_HelpAndBadTimeout_AreAnsweredByTheCommandTree()
    {
        var (code, output) = await PlexSyncProcess.RunAsync(["hook", "--help"], Limit);
        Assert.Equal(0, code);
        Assert.Contains("--timeout", output, StringComparison.Ordinal);
        Assert.Contains("Scene.Create.Post", output, StringComparison.Ordinal);

        (code, output) = await PlexSyncProcess.RunAsync(["hook", "--timeout", "soon"], Limit);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("\"soon\" is not a positive duration", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_WithoutPlexToken_StopsNamingTheKey()
    {
        var env = new Dictionary<string, string> { ["PLEXSYNC_CONFIG"] = "", ["PLEXSYNC_PLEX_TOKEN"] = "" };
        var (code, output) = await PlexSyncProcess.RunAsync(["worker"], Limit, env);
        Assert.Equal(1, code);
        Assert.Contains("plex.token", output, StringComparison.Ordinal);
        Assert.Contains("PLEXSYNC_PLEX_TOKEN", output, StringComparison.Ordinal);
    }

    // The README's first command: the demo program runs `plexsync dev` and `plexsync sync --wait` against the simulators.
    [Fact]
    public async Task Demo_SyncsEveryScene_AndSaysWhatBecameOfEach()
    {
        var dataDir = Directory.CreateTempSubdirectory("plexsync-demo-").FullName;
        try
        {
            string[] demo = [Programs.Demo, "--exit", "--scenes", "6", "--data-dir", dataDir];
            var (code, output) = await PlexSyncProcess.RunAsync(demo, Limit, executable: "dotnet");
            Assert.True(code == 0, output);
            Assert.Contains("9 scenes: 7 synced, 0 unchanged, 1 skipped, 1 failed", output, StringComparison.Ordinal);
            Assert.Contains("Scene 7 failed: InvalidScene: stash scene 7: field \"date\"", output, StringComparison.Ordinal);
            Assert.Contains("Temporal Web UI: http://127.0.0.1:", output, StringComparison.Ordinal);

            // The demo's generated credentials never reach the terminal or the worker log.
            Assert.DoesNotMatch(Secret(), output);
            Assert.DoesNotMatch(Secret(), await File.ReadAllTextAsync(Path.Combine(dataDir, "plexsync.log")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [GeneratedRegex("[0-9a-f]{32}")]
    private static partial Regex Secret();
}
