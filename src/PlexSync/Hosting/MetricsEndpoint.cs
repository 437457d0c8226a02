using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using PlexSync.Clients.Metrics;
using PlexSync.Configuration;

namespace PlexSync.Hosting;

/// <summary>
/// The worker's HTTP endpoint (metrics.listen): Prometheus metrics on /metrics (the PlexSync meter and the
/// Temporal SDK's, see <see cref="TemporalMeter"/>), liveness on /healthz and readiness on /readyz. The
/// exporter's own listener serves /metrics; a second listener on the same address serves the other two paths.
/// </summary>
internal sealed class MetricsEndpoint(ListenAddress address, WorkerStatus status, TimeProvider time, ILogger<MetricsEndpoint> logger) : BackgroundService
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";

    private readonly HttpListener health = new();
    private MeterProvider? provider;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(PlexSyncMeter.Name, TemporalMeter.MeterName)
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = address.Host;
                    o.Port = address.Port;
                    o.ScrapeEndpointPath = MetricsPath;

                    // Only the metrics themselves: no otel_scope labels and no target_info series.
                    o.ScopeInfoEnabled = false;
                    o.TargetInfoEnabled = false;
                })
                .Build();
        }
        catch (InvalidOperationException e) when (e.InnerException is HttpListenerException)
        {
            // The exporter wraps the listener's own error ("Address already in use").
            throw new UserFacingException($"cannot serve metrics on {address.Prefix}: {e.InnerException!.Message}. Set metrics.listen (PLEXSYNC_METRICS_LISTEN) to a free host:port, or to \"\" for none.", e);
        }

        // Listening before start-up returns (ExecuteAsync runs in the background): a probe right after start gets an answer.
        health.Prefixes.Add(address.Prefix + HealthPath.TrimStart('/') + "/");
        health.Prefixes.Add(address.Prefix + ReadyPath.TrimStart('/') + "/");
        health.Start();
        logger.LogInformation("Serving {Metrics}, {Health} and {Ready} on {Address}", MetricsPath, HealthPath, ReadyPath, address.Prefix);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        provider?.Dispose();
    }

    public override void Dispose()
    {
        ((IDisposable)health).Dispose();
        provider?.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The answer for a health path: live while the readiness check keeps running; ready while the last check
    /// found the worker connected and polling. Null for any other path.
    /// </summary>
    public static (int Status, string Body)? Answer(string path, Readiness readiness, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        var checkedAgo = now - readiness.CheckedAt;
        return path.TrimEnd('/') switch
        {
            HealthPath => checkedAgo < WorkerHeartbeat.Interval * 3
                ? (200, "ok\n")
                : (503, $"stalled: readiness last checked {(int)checkedAgo.TotalSeconds}s ago\n"),
            ReadyPath => readiness.Ready ? (200, "ready\n") : (503, $"not ready: {readiness.Why}\n"),
            _ => null,
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = stoppingToken.Register(health.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await health.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await RespondAsync(context);
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var (code, body) = Answer(context.Request.Url?.AbsolutePath ?? "", status.Readiness, time.GetUtcNow()) ?? (404, "not found\n");
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength64 = bytes.Length;
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes);
        }
        catch (HttpListenerException)
        {
            // The caller hung up; nothing to tell it.
        }
        finally
        {
            context.Response.Close();
        }
    }
}
