using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using PlexSync.Commands;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;
using YamlDotNet.RepresentationModel;

namespace PlexSync.Tests.EndToEnd;

/// <summary>`plexsync hook` for renames of performers (tags, studios, groups) and for the plugin's tasks, as Stash runs it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PluginHookTests(EndToEndFixture fixture)
{
    private const string OldName = "Rena Old";
    private const string NewName = "Rena New";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private static readonly int[] Renamed = [421, 422, 423];
    private static readonly int[] Others = [424, 425];
    private static readonly HashSet<string> RenameTriggers = ["Performer.Update.Post", "Tag.Update.Post", "Studio.Update.Post", "Group.Update.Post"];

    [Fact]
    public async Task Hook_PerformerRenamed_ReconcilesExactlyThatPerformersScenes()
    {
        foreach (var id in Renamed.Concat(Others))
        {
            var scene = SimulatedLibrary.SeedScene(id);
            scene.Performers = Renamed.Contains(id) ? [OldName, "Gus Olsen"] : ["Gus Olsen"];
            fixture.Library.AddScene(scene, inPlex: true);
        }

        await Task.WhenAll(Renamed.Concat(Others).Select(SyncAsync));

        // An edit no hook reported: were the reconciliation wider than the performer's scenes, it would write it.
        fixture.Library.Stash.Update(424, s => s.Title = "Edited without a hook");

        // Renaming a performer changes the name on its scenes, not their updated_at (and in the simulator, its ID).
        foreach (var id in Renamed)
        {
            fixture.Library.Stash.Update(id, s => s.Performers[0] = NewName);
        }

        var performer = await PerformerIdAsync(Renamed[0], NewName);
        var before = fixture.Library.Plex.Requests().Count;
        var reply = await HookAsync(PluginInputs.Hook(performer, "Performer.Update.Post", $$"""{"id":"{{performer}}","name":"{{NewName}}"}""", "id", "name"));

        var workflowId = PluginActions.EntityWorkflowId("performer", performer.ToString(CultureInfo.InvariantCulture));
        Assert.True(reply.ExitCode == 0, reply.Output + reply.Log);
        Assert.Contains(workflowId, reply.Output, StringComparison.Ordinal);
        var result = await ResultAsync(workflowId);
        Assert.Equal(Renamed.Length, result.Seen);
        Assert.Equal(Renamed.Length, result.Synced);
        Assert.Equal(Renamed.Select(RatingKey).ToHashSet(), WrittenSince(before));
        Assert.All(Renamed, id => Assert.Contains(NewName, fixture.Library.PlexItemOf(id).TagsOf("actor")));
        Assert.Equal("Scene 424", fixture.Library.PlexItemOf(424).Title);
    }

    [Fact]
    public async Task Hook_RenameWhileTemporalIsDown_ReturnsInTimeAndSaysHowToReconcileLater()
    {
        var reply = await HookAsync(
            PluginInputs.Hook(77, "Tag.Update.Post", """{"id":"77","name":"Renamed"}""", "id", "name"),
            ["--timeout", "1s"],
            new() { ["PLEXSYNC_TEMPORAL_ADDRESS"] = "127.0.0.1:1" });

        Assert.Equal(0, reply.ExitCode);
        Assert.Contains("not requested", reply.Output, StringComparison.Ordinal);
        Assert.Contains("\u0001w\u0002", reply.Log, StringComparison.Ordinal);
        Assert.Contains("plexsync reconcile --tag 77", reply.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Task_ReconcileAll_StartsTheReconciliation_AndStatusPrintsOneLine()
    {
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(426), inPlex: true);

        var reply = await HookAsync(PluginInputs.Task(PluginActions.ReconcileAll));

        Assert.True(reply.ExitCode == 0, reply.Output + reply.Log);
        Assert.Contains($"started (workflow {ReconcileWorkflow.DefaultId})", reply.Output, StringComparison.Ordinal);
        var result = await ResultAsync(ReconcileWorkflow.DefaultId);
        Assert.Equal(fixture.Library.Stash.Scenes().Count, result.Seen);
        Assert.Equal("Scene 426", fixture.Library.PlexItemOf(426).Title);

        var status = await HookAsync(PluginInputs.Task(PluginActions.Status));
        Assert.True(status.ExitCode == 0, status.Output + status.Log);
        var line = JsonDocument.Parse(status.Output).RootElement.GetProperty("output").GetString();
        Assert.Matches(@"^\d+ syncs running; last 24 h: [1-9]\d* synced, \d+ unchanged, \d+ skipped, \d+ failed; 0 reconciliations running; 0 spooled", line);
    }

    [Fact]
    public async Task Task_UnknownMode_FailsNamingTheModes()
    {
        var reply = await HookAsync(PluginInputs.Task("reconcile-everything"));
        Assert.Equal(1, reply.ExitCode);
        Assert.Contains(PluginActions.ReconcileRecent, reply.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_EveryTaskModeIsOneTheHookRuns_AndEveryRenameTriggerIsHooked()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "repo", "stash-plugin", "plexsync.yml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var modes = ((YamlSequenceNode)root["tasks"]).Select(t => ((YamlMappingNode)((YamlMappingNode)t)["defaultArgs"])["mode"].ToString());
        Assert.Equal(PluginActions.TaskModes.Order(StringComparer.Ordinal), modes.Order(StringComparer.Ordinal));
        var triggers = ((YamlSequenceNode)root["hooks"]).SelectMany(h => (YamlSequenceNode)((YamlMappingNode)h)["triggeredBy"]).Select(t => t.ToString());
        Assert.Subset(triggers.ToHashSet(), RenameTriggers);
    }

    private async Task SyncAsync(int sceneId)
    {
        var handle = await SyncStarter.StartAsync(fixture.Client, fixture.TaskQueue, sceneId.ToString(CultureInfo.InvariantCulture), "test");
        using var cts = new CancellationTokenSource(Limit);
        Assert.Equal(Outcomes.Synced, (await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token })).Outcome);
    }

    /// <summary>The Stash ID of a performer of a scene, from Stash's own answer (the client reads names only).</summary>
    private async Task<int> PerformerIdAsync(int sceneId, string name)
    {
        using var http = new HttpClient { BaseAddress = fixture.Library.Stash.BaseAddress };
        http.DefaultRequestHeaders.Add("ApiKey", EndToEndFixture.ApiKey);
        using var response = await http.PostAsJsonAsync("graphql", new { query = $"{{ findScene(id: \"{sceneId}\") {{ performers {{ id name }} }} }}" });
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var performer = answer.RootElement.GetProperty("data").GetProperty("findScene").GetProperty("performers").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name);
        return int.Parse(performer.GetProperty("id").GetString()!, CultureInfo.InvariantCulture);
    }

    private async Task<ReconcileProgress> ResultAsync(string workflowId)
    {
        var handle = fixture.Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(workflowId);
        using var cts = new CancellationTokenSource(Limit);
        return await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
    }

    private HashSet<string> WrittenSince(int before) => PlexLog.WrittenRatingKeys(fixture.Library.Plex.Requests().Skip(before));

    private string RatingKey(int sceneId) => fixture.Library.RatingKey(sceneId).ToString(CultureInfo.InvariantCulture);

    private async Task<Reply> HookAsync(string stdin, IReadOnlyList<string>? args = null, Dictionary<string, string>? environment = null)
    {
        await using var hook = fixture.Start(["hook", .. args ?? []], environment, stdin);
        var code = await hook.WaitForExitAsync(Limit);
        return new Reply(code, hook.Output, hook.Errors);
    }

    private sealed record Reply(int ExitCode, string Output, string Log);
}
