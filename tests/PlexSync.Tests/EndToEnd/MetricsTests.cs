using System.Net;
using PlexSync.Hosting;
using PlexSync.Simulators;
using PlexSync.Tests.Deployment;
using PlexSync.Workflows;

namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// A `plexsync worker` with metrics.listen set, scraped as Prometheus would: before any sync, after a sync
/// after a sync that fails with AuthFailed, and after a reconciliation of the synced scene. The run happens once and the facts read its scrapes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class MetricsTests(EndToEndFixture fixture)
{
    private const int SyncedScene = 611;
    private const int FailedScene = 612;

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static MetricsRun? run;

    // Each takes a few fixed values: services, status classes, outcomes, error types, breaker states, results, buckets.
    private static readonly string[] BoundedLabels = ["service", "status_class", "outcome", "error_type", "state", "result", "le"];

    [Fact]
    public async Task Worker_AnswersHealthAndReadiness_OncePollingBothQueues()
    {
        var r = await RunAsync(fixture);

        Assert.Equal(HttpStatusCode.OK, r.Health);
        Assert.Equal(HttpStatusCode.OK, r.Ready);
        Assert.Equal(1, r.AfterSync.Sum("plexsync_worker_ready"));
        Assert.Equal(HttpStatusCode.NotFound, r.Unknown);
    }

    [Fact]
    public async Task Scrape_AfterASync_CountsItsOutcomeRequestsAndLatency_AndTemporalsOwnMetrics()
    {
        var r = await RunAsync(fixture);

        Assert.Equal(0, r.Before.Sum("plexsync_syncs_total"));
        Assert.Equal(1, r.AfterSync.Sum("plexsync_syncs_total", "outcome=synced", "error_type="));
        Assert.True(r.AfterSync.Sum("plexsync_http_requests_total", "service=plex", "status_class=2xx") > r.Before.Sum("plexsync_http_requests_total", "service=plex", "status_class=2xx"));
        Assert.True(r.AfterSync.Sum("plexsync_http_requests_total", "service=stash", "status_class=2xx") > 0);
        Assert.Equal(
            r.AfterSync.Sum("plexsync_http_requests_total", "service=plex"),
            r.AfterSync.Sum("plexsync_http_request_duration_seconds_count", "service=plex"));
        Assert.True(r.AfterSync.Sum("plexsync_http_request_duration_seconds_bucket", "service=plex", "le=+Inf") > 0);

        // Counted from the worker's start, which came before the sync; reset by the sync, it is younger than the sync.
        Assert.True(r.AfterSync.Sum("plexsync_last_success_age_seconds") < r.SecondsSinceSyncStarted, r.AfterSync.Text);
        Assert.Equal(1, r.AfterSync.Sum("plexsync_plex_breaker_state", "state=closed"));
        Assert.Equal(0, r.AfterSync.Sum("plexsync_spool_events"));

        // The SDK's metrics come through the same endpoint, with Prometheus' suffixes.
        Assert.True(r.AfterSync.Sum("temporal_workflow_completed_total") >= 1, r.AfterSync.Text);
        Assert.Contains(r.AfterSync.Names, n => n.StartsWith("temporal_activity_execution_latency_seconds", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_AfterAFailedSync_CountsItByErrorType_AndThe401()
    {
        var r = await RunAsync(fixture);

        Assert.Equal(1, r.AfterFailure.Sum("plexsync_syncs_total", "outcome=failed", "error_type=AuthFailed"));
        Assert.Equal(1, r.AfterFailure.Sum("plexsync_syncs_total", "outcome=synced"));
        Assert.Equal(1, r.AfterFailure.Sum("plexsync_http_requests_total", "service=plex", "status_class=4xx"));
        Assert.True(r.AfterFailure.Sum("temporal_workflow_failed_total") >= 1, r.AfterFailure.Text);
    }

    [Fact]
    public async Task Scrape_AfterAReconciliation_CountsTheScenesItCompared()
    {
        var r = await RunAsync(fixture);

        Assert.Equal(0, r.AfterFailure.Sum("plexsync_reconcile_scenes_total"));
        Assert.Equal(1, r.AfterReconcile.Sum("plexsync_reconcile_scenes_total", "result=same"));
        Assert.Equal(0, r.AfterReconcile.Sum("plexsync_reconcile_scenes_total", "result=differ"));
        Assert.Equal(r.AfterFailure.Sum("plexsync_syncs_total"), r.AfterReconcile.Sum("plexsync_syncs_total"));
    }

    [Fact]
    public async Task Scrape_HasOnlyBoundedLabels_AndNoSecretTitleOrPath()
    {
        var r = await RunAsync(fixture);

        foreach (var scrape in new[] { r.Before, r.AfterSync, r.AfterFailure, r.AfterReconcile })
        {
            Assert.Empty(Credentials.Find([("a metrics scrape", scrape.Text)], CredentialScan.Secrets));
            Assert.DoesNotContain(SimulatedLibrary.SeedScene(SyncedScene).Title!, scrape.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(SimulatedLibrary.StashRoot, scrape.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(SimulatedLibrary.PlexRoot, scrape.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("http://", scrape.Text, StringComparison.Ordinal);
            Assert.All(scrape.Samples.Where(s => s.Name.StartsWith("plexsync_", StringComparison.Ordinal)), s =>
                Assert.All(s.Labels, l => Assert.Contains(l.Key, BoundedLabels)));
        }
    }

    [Fact]
    public async Task AlertRules_UseOnlyMetricsTheEndpointServes()
    {
        var r = await RunAsync(fixture);
        var served = r.AfterFailure.Names;

        var rules = AlertRules.Load();
        Assert.NotEmpty(rules);
        foreach (var rule in rules)
        {
            var names = AlertRules.MetricNames(rule.Expr);
            Assert.True(names.Count > 0, $"{rule.Alert}: no metric in {rule.Expr}");
            Assert.All(names, n => Assert.True(served.Contains(n), $"{rule.Alert} uses {n}, which the endpoint does not serve"));
        }
    }

    internal static async Task<MetricsRun> RunAsync(EndToEndFixture fixture)
    {
        await Once.WaitAsync();
        try
        {
            return run ??= await MeasureAsync(fixture);
        }
        finally
        {
            Once.Release();
        }
    }

    private static async Task<MetricsRun> MeasureAsync(EndToEndFixture fixture)
    {
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(SyncedScene), inPlex: true);
        fixture.Library.AddScene(SimulatedLibrary.SeedScene(FailedScene), inPlex: true);
        var port = LocalPorts.Free();
        var env = new Dictionary<string, string>
        {
            ["PLEXSYNC_TASK_QUEUE"] = $"metrics-{Guid.NewGuid():N}",
            ["PLEXSYNC_METRICS_LISTEN"] = $"127.0.0.1:{port}",
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        await using var worker = fixture.Start(["worker"], env);
        await Poll.UntilAsync(async ct => await StatusAsync(http, MetricsEndpoint.ReadyPath, ct) == HttpStatusCode.OK, Limit, "/readyz to answer 200");

        var before = await ScrapeAsync(http);
        var beforeAt = DateTimeOffset.UtcNow;
        var (code, output) = await fixture.RunAsync(env, "sync", "--scene", $"{SyncedScene}", "--wait");
        Assert.True(code == 0, output);
        var afterSync = await ScrapeAsync(http);
        var sinceSyncStarted = (DateTimeOffset.UtcNow - beforeAt).TotalSeconds;

        // The sync's edit answers 401: AuthFailed, which no retry fixes.
        fixture.Library.Plex.AddFault(new Fault { Method = "PUT", PathPrefix = $"/library/sections/{SimulatedLibrary.SectionKey}/all", Status = 401, Times = 1 });
        (code, output) = await fixture.RunAsync(env, "sync", "--scene", $"{FailedScene}", "--wait");
        Assert.True(code != 0, output);
        Assert.Contains(ErrorTypes.AuthFailed, output, StringComparison.Ordinal);
        var afterFailure = await ScrapeAsync(http);

        // The synced scene is in step now: a reconciliation finds it the same.
        (code, output) = await fixture.RunAsync(env, "reconcile", "--scene", $"{SyncedScene}", "--wait");
        Assert.True(code == 0, output);
        var afterReconcile = await ScrapeAsync(http);

        var result = new MetricsRun(
            before, afterSync, afterFailure, afterReconcile, sinceSyncStarted,
            await StatusAsync(http, MetricsEndpoint.HealthPath, CancellationToken.None),
            await StatusAsync(http, MetricsEndpoint.ReadyPath, CancellationToken.None),
            await StatusAsync(http, "/other", CancellationToken.None));
        CredentialScan.RecordOutput("the metrics scrapes", before.Text + afterSync.Text + afterFailure.Text + afterReconcile.Text);
        return result;
    }

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient http) =>
        new(await http.GetStringAsync(new Uri(MetricsEndpoint.MetricsPath.TrimStart('/'), UriKind.Relative)));

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative), ct);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return null;
        }
    }


    internal sealed record MetricsRun(
        PrometheusScrape Before, PrometheusScrape AfterSync, PrometheusScrape AfterFailure, PrometheusScrape AfterReconcile, double SecondsSinceSyncStarted,
        HttpStatusCode? Health, HttpStatusCode? Ready, HttpStatusCode? Unknown);
}
