using System.Globalization;
using System.Text.Json.Nodes;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;
using Temporalio.Testing;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// `plexsync worker` processes of their own, each on a task queue of its own so that the fixture's
/// worker never takes their work.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class WorkerProcessTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Worker_SigtermWhileApplyMetadataRuns_LetsItFinishAndExitsZero_SyncCompletesWithoutARetry()
    {
        const int sceneId = 101;
        var plex = fixture.Library.Plex;
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
        var ratingKey = fixture.Library.RatingKey(sceneId).ToString(CultureInfo.InvariantCulture);
        var env = OwnQueue("graceful");

        // Holds the sync's one edit PUT: shorter than the activity timeout (10 s) and the worker's grace (30 s).
        var hold = TimeSpan.FromSeconds(4);
        plex.AddFault(new Fault { Method = "PUT", PathPrefix = EditPath, Latency = hold, Times = 1 });
        await using var worker = fixture.Start(["worker", "--debug"], env);
        var (code, output) = await fixture.RunAsync(env, "sync", "--scene", "101");
        Assert.True(code == 0, output);

        // ApplyMetadata uploads the poster, then sends the held PUT: once Plex has the poster, the activity runs.
        await plex.WaitForAsync(() => plex.Count("POST", $"/library/metadata/{ratingKey}/posters") > 0, Limit);
        await worker.SignalAsync("TERM");
        var exit = await worker.WaitForExitAsync(hold + TimeSpan.FromSeconds(20));
        Assert.True(exit == 0, $"exit status {exit}:\n{worker.Errors}");

        // A cancelled activity would have aborted the PUT, which the log records with status 0.
        var edit = Assert.Single(Edits(ratingKey));
        Assert.Equal(200, edit.Status);

        // The stopping worker usually completes the workflow too, as its workflow poller drains with the
        // activity; should the last workflow task come too late for it, a new worker finishes the sync.
        // It is not under test: its disposal kills it.
        await using var next = fixture.Start(["worker"], env);
        var handle = fixture.Client.GetWorkflowHandle<SceneSyncWorkflow, SceneSyncResult>(SceneSyncWorkflow.WorkflowId("101"));
        using var cts = new CancellationTokenSource(Limit);
        var result = await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Single(Edits(ratingKey));

        var history = await handle.FetchHistoryAsync();
        var scheduled = Assert.Single(history.Events, e => e.ActivityTaskScheduledEventAttributes?.ActivityType.Name == ActivityPolicies.ApplyMetadata);
        var started = Assert.Single(history.Events, e => e.ActivityTaskStartedEventAttributes?.ScheduledEventId == scheduled.EventId);
        Assert.Equal(1, started.ActivityTaskStartedEventAttributes.Attempt);
    }

    [Fact]
    public async Task Worker_LogFormatJson_WritesCompactJsonLinesWithTemporalScope()
    {
        const int sceneId = 104;
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(sceneId), inPlex: true);
        var env = OwnQueue("json-log");
        await using var worker = fixture.Start(["worker", "--log-format", "json"], env);
        var (code, output) = await fixture.RunAsync(env, "sync", "--scene", "104", "--wait");
        Assert.True(code == 0, output);
        await worker.SignalAsync("TERM");
        Assert.Equal(0, await worker.WaitForExitAsync(Limit));

        // Every line is one compact JSON event (JsonNode.Parse throws on anything else).
        var events = worker.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.True(e.ContainsKey("@t") && e.ContainsKey("@mt"), e.ToJsonString()));
        var workflowId = SceneSyncWorkflow.WorkflowId("104");
        Assert.Contains(events, e => Text(e, "WorkflowId") == workflowId && Text(e, "WorkflowType") == "SceneSync");
        Assert.Contains(events, e => Text(e, "WorkflowId") == workflowId && Text(e, "ActivityType") == ActivityPolicies.ApplyMetadata);
    }

    [Fact]
    public async Task Worker_LogFormatJson_LosingTemporal_LogsTheSdkCoreWarningsAsJsonLines()
    {
        var server = await WorkflowEnvironment.StartLocalAsync(TestServers.Options(port: LocalPorts.Free()));
        var env = new Dictionary<string, string>(OwnQueue("core-log")) { ["PLEXSYNC_TEMPORAL_ADDRESS"] = server.Client.Connection.Options.TargetHost! };
        await using var worker = fixture.Start(["worker", "--log-format", "json"], env);
        try
        {
            await worker.WaitForLogAsync("Worker ready", Limit);
        }
        finally
        {
            await server.ShutdownAsync();
        }

        // The core retries its polls, then warns; by default it would write that to stderr in its own coloured format.
        await worker.WaitForLogAsync(TemporalRuntimes.CoreLogger.SourceContext, Limit);
        var events = worker.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList();
        Assert.Contains(events, e => Text(e, "SourceContext") == TemporalRuntimes.CoreLogger.SourceContext
            && Text(e, "@l") == "Warning" && Text(e, "CoreMessage")?.Contains("poll", StringComparison.Ordinal) == true);
    }

    private static string EditPath => $"/library/sections/{SimulatedLibrary.SectionKey}/all";

    private static Dictionary<string, string> OwnQueue(string name) =>
        new() { ["PLEXSYNC_TASK_QUEUE"] = $"{name}-{Guid.NewGuid():N}" };

    private static string? Text(JsonObject e, string property) =>
        e.TryGetPropertyValue(property, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private List<LoggedRequest> Edits(string ratingKey) =>
        [.. fixture.Library.Plex.Requests().Where(r =>
            r.Method == "PUT" && r.Path == EditPath && r.Query.TryGetValue("id", out var id) && id.Contains(ratingKey))];
}
