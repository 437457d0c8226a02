using System.Globalization;
using System.Text.Json;
using PlexSync.Configuration;
using PlexSync.Domain;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// A first run, through the real binary: `init` on simulators whose paths differ (Stash under
/// /data/videos, Plex under /media/videos), `check`, and a dry run that lists exactly the scenes that differ
/// and writes nothing. A library of its own, on the fixture's dev server, with a worker of its own.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FirstRunTests(EndToEndFixture fixture) : IAsyncLifetime
{
    private const string ApiKey = "first-run-stash-key-77c1";
    private const string PlexToken = "first-run-plex-token-3e9b";
    private const int Scenes = 12;

    // Scene IDs no other end-to-end test uses: a sync's workflow ID is its scene's, and the dev server is shared.
    private const int FirstId = 7101;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-first-run-").FullName;
    private readonly string taskQueue = "first-run-" + Guid.NewGuid().ToString("N")[..8];
    private SimulatedLibrary library = null!;

    private string ConfigPath => Path.Combine(directory, "plexsync.yaml");

    public async Task InitializeAsync()
    {
        library = await SimulatedLibrary.StartAsync(0, ApiKey, PlexToken);
        for (var id = FirstId; id < FirstId + Scenes; id++)
        {
            library.AddScene(SimulatedLibrary.SeedScene(id), inPlex: true);
        }
    }

    public async Task DisposeAsync()
    {
        await library.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task InitCheckDryRun_PathsThatDiffer_ProposesTheMapping_AllMatch_AndTheDryRunListsExactlyTheChangedScenesWritingNothing()
    {
        // init, non-interactive: the proposed mapping makes every scene match.
        var (initCode, initOutput) = await RunAsync(
            "init", "--stash-url", library.Stash.BaseAddress.ToString(), "--stash-api-key", ApiKey,
            "--plex-url", library.Plex.BaseAddress.ToString(), "--plex-token", PlexToken,
            "--temporal-address", fixture.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue,
            "--output", ConfigPath, "--yes");
        Assert.True(initCode == 0, initOutput);
        Assert.Contains($"{Scenes} of the {Scenes} sampled scenes match by path (without: 0)", initOutput, StringComparison.Ordinal);
        var config = ConfigLoader.Load(ConfigPath, _ => null, needPlex: true);
        Assert.Equal([new PathMapping(SimulatedLibrary.StashRoot, SimulatedLibrary.PlexRoot)], config.ToPathMappings().Items);
        Assert.Equal([SimulatedLibrary.SectionTitle], config.Plex.Sections);
        Assert.Equal(ApiKey, config.Stash.ApiKey.Reveal());
        Assert.Equal(PlexToken, config.Plex.Token.Reveal());
        var yaml = await File.ReadAllTextAsync(ConfigPath);
        Assert.DoesNotContain(ApiKey, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(PlexToken, yaml, StringComparison.Ordinal);
        Assert.Contains("# Which fields PlexSync manages.", yaml, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.Stash.ApiKeyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config.Plex.TokenFile));
        }

        // check: everything passes once a worker polls both queues.
        await using var worker = PlexSyncProcess.Start(["worker", "--config", ConfigPath]);
        await Poll.UntilAsync(async ct => await PollersAsync(taskQueue, ct) && await PollersAsync(ActivityPolicies.PlexQueue(taskQueue), ct), Limit, "the worker polling both task queues");
        var (checkCode, checkJson) = await RunAsync("check", "--json", "--config", ConfigPath);
        Assert.True(checkCode == 0, checkJson + worker.Errors);
        using (var report = JsonDocument.Parse(checkJson))
        {
            var matching = report.RootElement.GetProperty("matching");
            Assert.Equal(Scenes, matching.GetProperty("sampled").GetInt32());
            Assert.Equal(Scenes, matching.GetProperty("byPath").GetInt32());
            Assert.Equal(0, matching.GetProperty("unmatched").GetArrayLength());
            Assert.All(report.RootElement.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));
        }

        // In step first (a real reconciliation through the worker), then three edits Stash's hook never reported.
        var (syncCode, syncOutput) = await RunAsync("reconcile", "--all", "--wait", "--config", ConfigPath);
        Assert.True(syncCode == 0, syncOutput);
        library.Stash.Update(FirstId + 2, s => s.Title = "Retitled in Stash");
        library.Stash.Update(FirstId + 6, s => s.Tags = [.. s.Tags, "Added later"]);
        library.Stash.Update(FirstId + 10, s => s.Rating100 = 100);
        var requestsBefore = library.Plex.Requests().Count;
        var workflowsBefore = await CountWorkflowsAsync();

        var (dryCode, dry) = await RunAsync("reconcile", "--all", "--dry-run", "--config", ConfigPath);

        Assert.True(dryCode == 0, dry);
        Assert.True(
            dry.Contains($"Dry run: {Scenes} scenes checked: 3 would change, {Scenes - 3} in step, 0 would fail, 0 not in Stash. Nothing was written.", StringComparison.Ordinal),
            dry);
        var changed = System.Text.RegularExpressions.Regex.Matches(dry, @"^Scene (\d+) .* would change Plex item", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal([FirstId + 2, FirstId + 6, FirstId + 10], changed);
        Assert.Matches($@"title\s*│\s*Scene {FirstId + 2}\s*│\s*Retitled in Stash", dry);
        Assert.Matches(@"genre\s*│.*│.*Added later", dry);
        Assert.Matches(@"userRating\s*│\s*\d+(\.\d)?\s*│\s*10\s", dry);
        var during = library.Plex.Requests().Skip(requestsBefore).ToList();
        Assert.NotEmpty(during);
        Assert.All(during, r => Assert.Equal("GET", r.Method));
        Assert.Equal(workflowsBefore, await CountWorkflowsAsync());

        // sync --dry-run takes the same path for the scenes it names.
        var (one, oneOutput) = await RunAsync("sync", "--scene", $"{FirstId + 2},{FirstId + 3}", "--dry-run", "--config", ConfigPath);
        Assert.True(one == 0, oneOutput);
        Assert.Contains("Dry run: 2 scenes checked: 1 would change, 1 in step", oneOutput, StringComparison.Ordinal);
        Assert.All(library.Plex.Requests().Skip(requestsBefore), r => Assert.Equal("GET", r.Method));

        await worker.SignalAsync("TERM");
        await worker.WaitForExitAsync(Limit);
    }

    [Fact]
    public async Task Check_PathsThatDiffer_CountsAndListsTheUnmatched_SuggestsTheMapping_AndExitsOne()
    {
        await File.WriteAllTextAsync(ConfigPath, string.Create(CultureInfo.InvariantCulture, $"""
            stash:
              url: {library.Stash.BaseAddress}
              api_key: {ApiKey}
            plex:
              url: {library.Plex.BaseAddress}
              token: {PlexToken}
              sections: [{SimulatedLibrary.SectionTitle}]
            temporal:
              address: {fixture.Client.Connection.Options.TargetHost}
              task_queue: {taskQueue}
            """));
        library.AddScene(SimulatedLibrary.SeedScene(FirstId + 89) with { Files = ["/data/videos/nowhere/only-in-stash.mp4"] }, inPlex: false);

        var (code, output) = await RunAsync("check", "--config", ConfigPath);

        Assert.True(code == 1, output);
        Assert.Matches(@"matched by path\s*│\s*0\b", output);
        Assert.Matches(@"matched by file name only\s*│\s*12\b", output);
        Assert.Matches(@"not in Plex\s*│\s*1\b", output);
        Assert.Contains("/data/videos/nowhere/only-in-stash.mp4", output, StringComparison.Ordinal);
        Assert.Contains($"- from: '{SimulatedLibrary.StashRoot}'", output, StringComparison.Ordinal);
        Assert.Contains($"to: '{SimulatedLibrary.PlexRoot}'", output, StringComparison.Ordinal);
        Assert.Contains("no worker has polled task queue " + taskQueue, output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Init_AnsweredAtItsPromptsInATerminal_AsksAgainAfterAWrongKey_LetsAPersonChooseSections_AndWritesTheFile()
    {
        Skip.IfNot(Terminal.IsAvailable, "tmux is missing (apt-get install tmux; .ci/run does so): it is the pseudo-terminal this test types into");
        library.Plex.AddSection(2, "Clips", "/media/clips");
        await using var terminal = await Terminal.StartAsync(["init", "--output", ConfigPath]);

        await terminal.WaitForAsync("Stash URL", Limit);
        await terminal.TypeLineAsync(library.Stash.BaseAddress.ToString());
        await terminal.WaitForAsync("Stash API key", Limit);
        await terminal.TypeLineAsync("not-the-key");
        await terminal.WaitForAsync("refused the API key", Limit);
        await terminal.TypeLineAsync(ApiKey);
        await terminal.WaitForAsync("ok Stash", Limit);
        await terminal.WaitForAsync("Plex URL", Limit);
        await terminal.TypeLineAsync(library.Plex.BaseAddress.ToString());
        await terminal.WaitForAsync("Plex token", Limit);
        await terminal.TypeLineAsync(PlexToken);
        await terminal.WaitForAsync("Which Plex movie sections", Limit);
        await terminal.PressAsync("Space"); // the first: Movies
        await terminal.PressAsync("Enter");
        await terminal.WaitForAsync("Use these path mappings?", Limit);
        await terminal.TypeLineAsync("y");
        var code = await terminal.WaitForExitAsync(Limit);

        var screen = await terminal.ScreenAsync();
        Assert.True(code == 0, screen);
        Assert.DoesNotContain(ApiKey, screen, StringComparison.Ordinal);
        Assert.DoesNotContain(PlexToken, screen, StringComparison.Ordinal);
        var config = ConfigLoader.Load(ConfigPath, _ => null, needPlex: true);
        Assert.Equal([SimulatedLibrary.SectionTitle], config.Plex.Sections);
        Assert.Equal([new PathMapping(SimulatedLibrary.StashRoot, SimulatedLibrary.PlexRoot)], config.ToPathMappings().Items);
        Assert.Equal(ApiKey, config.Stash.ApiKey.Reveal());
        Assert.Equal(PlexToken, config.Plex.Token.Reveal());
    }

    [Theory]
    [InlineData("wrong-token", ApiKey, "refused the token")]
    [InlineData(PlexToken, "", "asks for credentials")]
    [InlineData(PlexToken, "wrong-key", "refused the API key")]
    public async Task InitNonInteractive_WrongCredential_SaysWhichAndWhatToDo(string token, string key, string said)
    {
        var (code, output) = await RunAsync(
            "init", "--stash-url", library.Stash.BaseAddress.ToString(), "--stash-api-key", key,
            "--plex-url", library.Plex.BaseAddress.ToString(), "--plex-token", token, "--output", ConfigPath, "--yes");

        Assert.Equal(1, code);
        Assert.Contains(said, output, StringComparison.Ordinal);
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task InitNonInteractive_Unreachable_SaysSo()
    {
        var (code, output) = await RunAsync(
            "init", "--stash-url", "http://127.0.0.1:1", "--stash-api-key", ApiKey,
            "--plex-url", library.Plex.BaseAddress.ToString(), "--plex-token", PlexToken, "--output", ConfigPath, "--yes");

        Assert.Equal(1, code);
        Assert.Contains("cannot reach Stash at http://127.0.0.1:1/", output, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var (code, output) = await PlexSyncProcess.RunAsync(args, Limit);
        CredentialScan.RecordOutput($"the output of `plexsync {args[0]}` (first run)", output);
        Assert.DoesNotContain(ApiKey, output, StringComparison.Ordinal);
        Assert.DoesNotContain(PlexToken, output, StringComparison.Ordinal);
        return (code, output);
    }

    private async Task<bool> PollersAsync(string queue, CancellationToken ct)
    {
        var type = queue.EndsWith("-plex", StringComparison.Ordinal) ? Temporalio.Api.Enums.V1.TaskQueueType.Activity : Temporalio.Api.Enums.V1.TaskQueueType.Workflow;
        var response = await fixture.Client.WorkflowService.DescribeTaskQueueAsync(
            new Temporalio.Api.WorkflowService.V1.DescribeTaskQueueRequest
            {
                Namespace = fixture.Client.Options.Namespace,
                TaskQueue = new Temporalio.Api.TaskQueue.V1.TaskQueue { Name = queue },
                TaskQueueType = type,
            },
            new RpcOptions { CancellationToken = ct });
        return response.Pollers.Count > 0;
    }

    private async Task<long> CountWorkflowsAsync() =>
        (await fixture.Client.CountWorkflowsAsync($"TaskQueue = '{taskQueue}'")).Count;
}
