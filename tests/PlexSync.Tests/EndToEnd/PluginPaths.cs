using System.Globalization;
using PlexSync.Commands;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// Every path the Stash plugin runs (the manifest's hooks and tasks), run by a given program in a given environment:
/// the plugin folder's program, or the tested build with invariant globalization forced as in Stash's Alpine image.
/// </summary>
/// <param name="fixture">The shared servers and worker.</param>
/// <param name="program">The program to run; null for the tested build.</param>
/// <param name="environment">Variables every run gets.</param>
internal sealed class PluginPaths(EndToEndFixture fixture, string? program, IReadOnlyDictionary<string, string> environment)
{
    private const string TemporalDown = "127.0.0.1:1";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    /// <summary>A scene hook starts the sync, which the fixture's worker applies; with Temporal down, it spools.</summary>
    /// <param name="sceneId">A scene ID of the caller's own on the shared fixture.</param>
    /// <param name="spool">Where the hook spools.</param>
    public async Task HookSyncs_AndSpoolsWhenTemporalIsDownAsync(int sceneId, string spool)
    {
        var title = $"Edited, hook run by {Path.GetFileName(program) ?? "the tested build"} {sceneId}";
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
        fixture.Library.Stash.Update(sceneId, s => s.Title = title);
        var id = sceneId.ToString(CultureInfo.InvariantCulture);
        var hook = PluginInputs.SceneUpdate(sceneId, $$"""{"id":"{{id}}","title":"x"}""", "title");
        var (code, reply) = await RunAsync(hook, ["hook"], new() { ["PLEXSYNC_SPOOL_PATH"] = spool });
        Assert.True(code == 0, reply);
        var handle = fixture.Client.GetWorkflowHandle<SceneSyncWorkflow, SceneSyncResult>(SceneSyncWorkflow.WorkflowId(id));
        Assert.Equal(Outcomes.Synced, (await handle.GetResultAsync().WaitAsync(Limit)).Outcome);
        Assert.True(fixture.Library.Plex.TryGetItem(fixture.Library.RatingKey(sceneId), out var item));
        Assert.Equal(title, item.Title);

        (code, reply) = await RunAsync(hook, ["hook"], new() { ["PLEXSYNC_SPOOL_PATH"] = spool, ["PLEXSYNC_TEMPORAL_ADDRESS"] = TemporalDown });
        Assert.True(code == 0, reply);
        Assert.Contains("spooled", reply, StringComparison.Ordinal);
        Assert.Contains($"\"{id}\"", await File.ReadAllTextAsync(spool), StringComparison.Ordinal);
    }

    /// <summary>Both reconciliation tasks, the status task and a tag rename hook, on a library and worker of their own.</summary>
    public async Task EveryTaskAndTheRenameHookAsync(string tagId)
    {
        // A reconciliation of all scenes would sync the shared library's, which other end-to-end tests expect never synced.
        await using var world = await WorkerWorld.StartAsync(fixture.Client, 12);
        await world.StartWorkerAsync();
        string[] hook = ["hook", "--config", world.ConfigPath];
        world.Stash.Update(world.Id(1), s => s.Title = "Edited just now");

        // The tasks' reconciliations run one at a time; each input must reach the worker whole (scope, window).
        var since = DateTimeOffset.UtcNow - PluginActions.RecentWindow;
        foreach (var (mode, scenes) in new[] { (PluginActions.ReconcileRecent, world.Stash.Scenes().Count(s => s.UpdatedAt > since)), (PluginActions.ReconcileAll, world.Stash.Scenes().Count) })
        {
            var (code, reply) = await RunAsync(PluginInputs.Task(mode), hook);
            Assert.True(code == 0, reply);
            Assert.Contains($"started (workflow {ReconcileWorkflow.DefaultId})", reply, StringComparison.Ordinal);
            Assert.Equal(scenes, (await ReconcileResultAsync(ReconcileWorkflow.DefaultId)).Seen);
        }

        // Status counts through visibility, which learns of the reconciliation's end a moment after its result.
        await Poll.UntilAsync(
            async ct => (await fixture.Client.CountWorkflowsAsync($"WorkflowType = '{ReconcileWorkflow.Name}' AND ExecutionStatus = 'Running'", new WorkflowCountOptions { Rpc = new RpcOptions { CancellationToken = ct } })).Count == 0,
            Limit,
            "visibility to list no running reconciliation");
        var (statusCode, status) = await RunAsync(PluginInputs.Task(PluginActions.Status), hook);
        Assert.True(statusCode == 0, status);
        Assert.Matches(@"\d+ syncs running; last 24 h: \d+ synced, \d+ unchanged, \d+ skipped, \d+ failed; 0 reconciliations running; \d+ spooled", status);

        // A tag no scene has: a reconciliation of exactly its scenes sees none (one that lost the tag would see them all).
        var rename = PluginInputs.Hook(int.Parse(tagId, CultureInfo.InvariantCulture), "Tag.Update.Post", $$"""{"id":"{{tagId}}","name":"Renamed"}""", "name");
        var (tagCode, tagReply) = await RunAsync(rename, hook);
        Assert.True(tagCode == 0, tagReply);
        var tagWorkflow = PluginActions.EntityWorkflowId("tag", tagId);
        Assert.Contains(tagWorkflow, tagReply, StringComparison.Ordinal);
        var result = await ReconcileResultAsync(tagWorkflow);
        Assert.True(result.Done);
        Assert.Equal(0, result.Seen);
    }

    /// <summary>The commands that match scenes refuse, naming the single-file build.</summary>
    public async Task WorkerAndCheck_RefuseNamingTheSingleFileBuildAsync()
    {
        foreach (var command in new[] { "worker", "check" })
        {
            var (code, output) = await RunAsync(stdin: null, [command]);
            Assert.True(code == ExitCodes.Failure, output);
            Assert.Contains("this plexsync is the Stash plugin folder's program", output, StringComparison.Ordinal);
            Assert.Contains("with the single-file build", output, StringComparison.Ordinal);
        }
    }

    private async Task<(int Code, string Output)> RunAsync(string? stdin, string[] args, Dictionary<string, string>? extra = null)
    {
        var variables = new Dictionary<string, string>(environment);
        foreach (var (name, value) in extra ?? [])
        {
            variables[name] = value;
        }

        await using var run = fixture.Start(args, variables, stdin, program);
        return (await run.WaitForExitAsync(Limit), run.Output + run.Errors);
    }

    private async Task<ReconcileProgress> ReconcileResultAsync(string workflowId)
    {
        var handle = fixture.Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(workflowId);
        using var cts = new CancellationTokenSource(Limit);
        return await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
    }
}
