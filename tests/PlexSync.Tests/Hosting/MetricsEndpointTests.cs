using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients.Protection;
using PlexSync.Configuration;
using PlexSync.Hosting;

namespace PlexSync.Tests.Hosting;

/// <summary>The endpoint alone, on 127.0.0.1, without Temporal: what it answers before the worker is ready, and a busy port.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly PlexProtection plex = new(new PlexProtectionOptions(), TimeProvider.System, NullLogger<PlexProtection>.Instance);
    private readonly TestMeters meters = new();
    private readonly string spool = Path.Combine(Path.GetTempPath(), $"plexsync-metrics-{Guid.NewGuid():N}.jsonl");

    [Fact]
    public async Task BeforeTheFirstCheck_IsNotReady_AndServesTheGauges()
    {
        var port = LocalPorts.Free();
        var status = new WorkerStatus(TimeProvider.System, plex, spool, meters);
        using var endpoint = Endpoint(port, status);
        await endpoint.StartAsync(CancellationToken.None);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            using var ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("not ready: starting: not yet seen polling\n", await ready.Content.ReadAsStringAsync());

            var scrape = new EndToEnd.PrometheusScrape(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)));
            Assert.Equal(0, scrape.Sum("plexsync_worker_ready"));
            Assert.Equal(1, scrape.Sum("plexsync_plex_breaker_state", "state=closed"));
            Assert.Equal(0, scrape.Sum("plexsync_spool_events"));
        }
        finally
        {
            await endpoint.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ABusyPort_StopsStartWithWhatToDo()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var status = new WorkerStatus(TimeProvider.System, plex, spool, meters);
        using var endpoint = Endpoint(((IPEndPoint)busy.LocalEndpoint).Port, status);

        var e = await Assert.ThrowsAsync<UserFacingException>(() => endpoint.StartAsync(CancellationToken.None));

        Assert.Contains("Set metrics.listen (PLEXSYNC_METRICS_LISTEN) to a free host:port", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        meters.Dispose();
        plex.Dispose();
    }

    private static MetricsEndpoint Endpoint(int port, WorkerStatus status) =>
        new(new ListenAddress("127.0.0.1", port), status, TimeProvider.System, NullLogger<MetricsEndpoint>.Instance);

}
