using System.Globalization;
using System.Text.RegularExpressions;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Client;

namespace PlexSync.Tests.EndToEnd;

/// <summary>`plexsync reconcile` through the real binary, the fixture's worker and the real dev server.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReconcileCommandTests(EndToEndFixture fixture)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ReconcileWait_Scenes_SyncsExactlyThoseThatDiffer_AndPrintsTheCounts()
    {
        AddScenes(401, 402, 403, 404);
        var (code, first) = await fixture.RunAsync("reconcile", "--scene", "401,402", "--scene", "403,404", "--wait");
        Assert.True(code == 0, first);
        Assert.Matches(Row("differed from Plex", 4), first);
        Assert.Matches(Row("synced", 4), first);

        // Two edits Stash's hook never reported, and an ID Stash does not have.
        fixture.Library.Stash.Update(402, s => s.Title = "Retitled in Stash");
        fixture.Library.Stash.Update(404, s => s.Tags.Add("Added later"));
        var before = fixture.Library.Plex.Requests().Count;
        var (again, second) = await fixture.RunAsync("reconcile", "--scene", "401,402,403,404,4999", "--wait");

        Assert.True(again == 0, second);
        Assert.Matches(Row("checked", 5), second);
        Assert.Matches(Row("differed from Plex", 2), second);
        Assert.Matches(Row("synced", 2), second);
        Assert.Matches(Row("skipped (not in Stash)", 1), second);
        Assert.Matches(Row("failed", 0), second);
        Assert.Equal(RatingKeys(402, 404), WrittenSince(before));
        Assert.Equal("Retitled in Stash", fixture.Library.PlexItemOf(402).Title);
        Assert.Contains("Added later", fixture.Library.PlexItemOf(404).TagsOf("genre"));
    }

    [Fact]
    public async Task ReconcileWaitAll_ChecksEveryStashScene_AndSyncsOnesNeverSynced()
    {
        AddScenes(405);
        var (code, output) = await fixture.RunAsync("reconcile", "--all", "--wait");

        // Other tests' scenes are in the library too; some of them are meant to fail (an invalid date).
        var result = await ResultAsync();
        Assert.True(result.Done, output);
        Assert.Equal(fixture.Library.Stash.Scenes().Count, result.Seen);
        Assert.Equal(result.Changed, result.Synced + result.Unchanged + result.Skipped + result.Failed + result.InProgress);
        Assert.True(code == (result.Failed > 0 ? 1 : 0), $"exit status {code} with {result.Failed} failed:\n{output}");
        Assert.Matches(Row("checked", result.Seen), output);
        Assert.Equal("Scene 405", fixture.Library.PlexItemOf(405).Title);
    }

    [Fact]
    public async Task Reconcile_WhileOneRuns_SaysSoAndSuggestsAttach_AndAttachFollowsItToTheEnd_WithAWorkerThatBeats()
    {
        // No worker polls this queue yet, so the first reconciliation runs until this test starts one.
        AddScenes(406, 407);
        var env = new Dictionary<string, string> { ["PLEXSYNC_TASK_QUEUE"] = "reconcile-attach-" + Guid.NewGuid().ToString("N")[..8] };
        var (started, startOutput) = await fixture.RunAsync(env, "reconcile", "--scene", "406,407");
        Assert.True(started == 0, startOutput);
        Assert.Contains("is running in Temporal", startOutput, StringComparison.Ordinal);
        Assert.Contains("--attach", startOutput, StringComparison.Ordinal);

        var (code, output) = await fixture.RunAsync(env, "reconcile", "--all", "--wait");
        Assert.Equal(1, code);
        Assert.Contains("already running", output, StringComparison.Ordinal);
        Assert.Contains("plexsync reconcile --attach", output, StringComparison.Ordinal);

        await using var attach = fixture.Start(["reconcile", "--attach"], env);
        await attach.WaitForOutputAsync("is running in Temporal", Limit);
        var heartbeat = Path.Combine(Path.GetTempPath(), "plexsync-heartbeat-" + Guid.NewGuid().ToString("N"));
        await using var worker = fixture.Start(["worker"], new Dictionary<string, string>(env) { [WorkerHeartbeat.FileVariable] = heartbeat });
        var attached = await attach.WaitForExitAsync(Limit);

        Assert.True(attached == 0, attach.Output + attach.Errors);
        Assert.Matches(Row("synced", 2), attach.Output);
        Assert.Equal(2, (await ResultAsync()).Synced);

        // The worker that ran it beats for the container health check (docker-compose.yml) once Temporal answers.
        try
        {
            // Its first beat races the reconciliation's last steps: poll for it, within a bound.
            await Poll.UntilAsync(() => File.Exists(heartbeat), Limit, $"the heartbeat file {heartbeat}");

            Assert.InRange(DateTimeOffset.Parse(await File.ReadAllTextAsync(heartbeat), CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        }
        finally
        {
            File.Delete(heartbeat);
        }

        var (none, noneOutput) = await fixture.RunAsync(env, "reconcile", "--attach");
        Assert.Equal(1, none);
        Assert.Contains("no reconciliation is running", noneOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileWait_Interrupted_DetachesAndTheReconciliationCompletesInTemporal()
    {
        AddScenes(408, 409);

        // Holds the page's batched Plex read, so that the run is still at its first page when Ctrl-C comes.
        fixture.Library.Plex.AddFault(new Fault { Method = "GET", PathPrefix = "/library/metadata/", Latency = TimeSpan.FromSeconds(3), Times = 1 });
        await using var reconcile = fixture.Start(["reconcile", "--scene", "408,409", "--wait"]);
        await reconcile.WaitForOutputAsync("is running in Temporal", Limit);
        await reconcile.SignalAsync("INT");
        var code = await reconcile.WaitForExitAsync(Limit);

        Assert.True(code == 130, reconcile.Output + reconcile.Errors);
        Assert.Contains("goes on in Temporal", reconcile.Output, StringComparison.Ordinal);
        Assert.Contains("plexsync reconcile --attach", reconcile.Output, StringComparison.Ordinal);
        var result = await ResultAsync();
        Assert.True(result.Done);
        Assert.Equal(2, result.Synced);
    }

    [Fact]
    public async Task ReconcileWait_NotATerminal_PrintsPlainProgressLines()
    {
        AddScenes(410);
        var (code, output) = await fixture.RunAsync("reconcile", "--scene", "410", "--wait");

        Assert.True(code == 0, output);
        Assert.DoesNotContain('\u001b', output);
        Assert.Matches(@"(?m)^Done: 1 of 1 scenes checked, 1 differed: 1 synced", output);
        Assert.DoesNotContain('\r', output);
    }

    /// <summary>A row of the summary table (Spectre draws its borders in Unicode or ASCII depending on the terminal).</summary>
    private static Regex Row(string label, int count) =>
        new($@"^[\s│|]*{Regex.Escape(label)}[^│|\n]*[\s│|]+{count}[\s│|]*$", RegexOptions.Multiline);

    private void AddScenes(params int[] ids)
    {
        foreach (var id in ids)
        {
            fixture.Library.AddScene(SimulatedLibrary.SeedScene(id), inPlex: true);
        }
    }

    private HashSet<string> RatingKeys(params int[] sceneIds) =>
        [.. sceneIds.Select(id => fixture.Library.RatingKey(id).ToString(CultureInfo.InvariantCulture))];

    /// <summary>The ratingKeys of the Plex items written to (any PUT or POST) since the request log held <paramref name="before"/> entries.</summary>
    private HashSet<string> WrittenSince(int before) => PlexLog.WrittenRatingKeys(fixture.Library.Plex.Requests().Skip(before));

    private async Task<ReconcileProgress> ResultAsync()
    {
        var handle = fixture.Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(ReconcileWorkflow.DefaultId);
        using var cts = new CancellationTokenSource(Limit);
        return await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cts.Token });
    }
}

/// <summary>Reads the simulated Plex's request log.</summary>
internal static class PlexLog
{
    /// <summary>The ratingKeys that received a write: an edit names the item in its id parameter, a rating in key, the rest in the path.</summary>
    public static HashSet<string> WrittenRatingKeys(IEnumerable<LoggedRequest> requests)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in requests.Where(r => r.Method != "GET"))
        {
            if (r.Query.TryGetValue("id", out var id))
            {
                keys.UnionWith(id.SelectMany(i => i.Split(',')));
            }
            else if (r.Query.TryGetValue("key", out var key))
            {
                keys.UnionWith(key);
            }
            else if (r.Path.StartsWith("/library/metadata/", StringComparison.Ordinal))
            {
                keys.Add(r.Path.Split('/')[3]);
            }
        }

        return keys;
    }
}
