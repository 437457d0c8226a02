using System.Globalization;
using PlexSync.Simulators;
using PlexSync.Spool;
using PlexSync.Workflows;

namespace PlexSync.Tests.EndToEnd;

/// <summary>`plexsync hook` as Stash runs it: JSON on stdin, one JSON object on stdout, prefixed log lines on stderr.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HookTests(EndToEndFixture fixture) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-hook-").FullName;

    private string SpoolPath => Path.Combine(directory, "spool.jsonl");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Hook_SceneUpdateOfSyncedField_SyncsThatScene()
    {
        var id = AddScene(201);
        fixture.Library.Stash.Update(id, s => s.Title = "Edited in Stash");

        var reply = await HookAsync(PluginInputs.SceneUpdate(id, """{"id":"201","title":"Edited in Stash"}""", "id", "title"));

        Assert.Equal(0, reply.ExitCode);
        Assert.Contains("sync requested", reply.Output, StringComparison.Ordinal);
        Assert.Contains("\u0001i\u0002", reply.Log, StringComparison.Ordinal);
        var result = await SyncResultAsync(id);
        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal("Edited in Stash", fixture.Library.PlexItemOf(id).Title);
    }

    [Fact]
    public async Task Hook_SceneCreateWithNullInput_SyncsWithoutAPlexToken()
    {
        var id = AddScene(202);

        // The hook's own config: Temporal and the spool, no Plex token, no Stash key.
        var config = Path.Combine(directory, "hook.yaml");
        await File.WriteAllTextAsync(config, $"""
            temporal:
              address: {fixture.Client.Connection.Options.TargetHost}
              task_queue: {fixture.TaskQueue}
            spool_path: {SpoolPath}
            """);
        var reply = await HookAsync(PluginInputs.Hook(id, "Scene.Create.Post", "null"), ["--config", config], new() { ["PLEXSYNC_PLEX_TOKEN"] = "" });

        Assert.Equal(0, reply.ExitCode);
        Assert.Equal(Outcomes.Synced, (await SyncResultAsync(id)).Outcome);
    }

    [Theory]
    [InlineData("Scene.Update.Post", """{"id":"203","organized":true}""", "organized")]
    [InlineData("Scene.Destroy.Post", """{"id":"203"}""", "id")]
    [InlineData("Image.Update.Post", """{"id":"203","title":"x"}""", "title")]
    public async Task Hook_WhatIsNotOurs_IsIgnoredWithoutStartingASync(string type, string input, string field)
    {
        var reply = await HookAsync(PluginInputs.Hook(203, type, input, field));

        Assert.Equal(0, reply.ExitCode);
        Assert.Contains("ignored", reply.Output, StringComparison.Ordinal);
        await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(
            () => fixture.Client.GetWorkflowHandle(SceneSyncWorkflow.WorkflowId("203")).DescribeAsync());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    [InlineData("""{"args": {"hookContext": {"id": 0, "type": "Scene.Update.Post", "input": {"title": "x"}, "inputFields": ["title"]}}}""")]
    [InlineData("""{"args": {"hookContext": {"id": "x", "type": "Scene.Update.Post"}}}""")]
    public async Task Hook_BadInput_FailsClearlyAndSpoolsNothing(string stdin)
    {
        var reply = await HookAsync(stdin, [], new() { ["PLEXSYNC_TEMPORAL_ADDRESS"] = "127.0.0.1:1" });

        Assert.Equal(1, reply.ExitCode);
        Assert.Contains("\"error\"", reply.Output, StringComparison.Ordinal);
        Assert.Contains("\u0001e\u0002", reply.Log, StringComparison.Ordinal);
        Assert.False(File.Exists(SpoolPath), "bad input was spooled");
    }

    [Fact]
    public async Task Hook_OversizedInput_FailsClearly()
    {
        var reply = await HookAsync(new string(' ', (1 << 20) + 10) + "{}");
        Assert.Equal(1, reply.ExitCode);
        Assert.Contains("larger than", reply.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hook_TemporalDown_SpoolsAndTheNextHookSendsItOnce()
    {
        var spooled = AddScene(204);
        var next = AddScene(205);
        var later = AddScene(206);

        var down = await HookAsync(PluginInputs.Hook(spooled, "Scene.Create.Post", "null"), [], new() { ["PLEXSYNC_TEMPORAL_ADDRESS"] = "127.0.0.1:1" });
        Assert.Equal(0, down.ExitCode);
        Assert.Contains("spooled", down.Output, StringComparison.Ordinal);
        Assert.Contains("\u0001w\u0002", down.Log, StringComparison.Ordinal);
        Assert.Single(new SyncSpool(SpoolPath).Entries());

        // Temporal is back: the next hook, for another scene, sends the spooled one too.
        var up = await HookAsync(PluginInputs.Hook(next, "Scene.Create.Post", "null"));
        Assert.Equal(0, up.ExitCode);
        Assert.Contains("sent 1 spooled", up.Log, StringComparison.Ordinal);
        Assert.Empty(new SyncSpool(SpoolPath).Entries());
        Assert.Equal(Outcomes.Synced, (await SyncResultAsync(spooled)).Outcome);

        var again = await HookAsync(PluginInputs.Hook(later, "Scene.Create.Post", "null"));
        Assert.DoesNotContain("spooled sync request", again.Log, StringComparison.Ordinal);
        var runs = await fixture.Client.CountWorkflowsAsync($"WorkflowId = '{SceneSyncWorkflow.WorkflowId(spooled.ToString(CultureInfo.InvariantCulture))}'");
        Assert.Equal(1, runs.Count);
    }

    [Fact]
    public async Task Hook_BurstOfEditsDuringASync_CoalescesIntoOneMorePassWithTheLastEdit()
    {
        var id = AddScene(207);
        var ratingKey = fixture.Library.RatingKey(id);

        // Hold the first pass's edit until the whole burst has been requested, so that the burst lands
        // while it runs; the poster upload just before it says the pass has reached Plex. Every edit is
        // held, not only the first: on a loaded machine the first can time out, and its retry must not
        // finish the pass while hooks are still arriving.
        var burstDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fixture.Library.Plex.AddFault(new Fault { Method = "PUT", PathPrefix = "/library/sections/", Until = burstDone.Task, Latency = Limit });
        var first = await HookAsync(PluginInputs.SceneUpdate(id, """{"id":"207","title":"edit 0"}""", "id", "title"));
        Assert.Equal(0, first.ExitCode);
        await fixture.Library.Plex.WaitForAsync(
            () => fixture.Library.Plex.Count("POST", $"/library/metadata/{ratingKey}/posters") > 0, Limit);

        fixture.Library.Stash.Update(id, s => s.Title = "edit 20");
        // Twenty processes at once on a small machine: a generous budget, so that none is spooled.
        var burst = await Task.WhenAll(Enumerable.Range(1, 20).Select(
            i => HookAsync(PluginInputs.SceneUpdate(id, $$"""{"id":"207","title":"edit {{i}}"}""", "id", "title"), ["--timeout", "60s"])));
        burstDone.SetResult();
        fixture.Library.Plex.ClearFaults();
        Assert.All(burst, r => Assert.Equal(0, r.ExitCode));

        var result = await SyncResultAsync(id);
        Assert.Equal(2, result.Passes);
        Assert.Equal("edit 20", fixture.Library.PlexItemOf(id).Title);
    }

    private int AddScene(int id)
    {
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(id), inPlex: true);
        return id;
    }

    private async Task<SceneSyncResult> SyncResultAsync(int sceneId)
    {
        var handle = fixture.Client.GetWorkflowHandle<SceneSyncWorkflow, SceneSyncResult>(
            SceneSyncWorkflow.WorkflowId(sceneId.ToString(CultureInfo.InvariantCulture)));
        return await handle.GetResultAsync().WaitAsync(Limit);
    }

    private async Task<Reply> HookAsync(string stdin, IReadOnlyList<string>? args = null, Dictionary<string, string>? environment = null)
    {
        environment ??= [];
        environment.TryAdd("PLEXSYNC_SPOOL_PATH", SpoolPath);
        await using var hook = fixture.Start(["hook", .. args ?? []], environment, stdin);
        var code = await hook.WaitForExitAsync(Limit);
        return new Reply(code, hook.Output, hook.Errors);
    }

    private sealed record Reply(int ExitCode, string Output, string Log);
}
