using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Hosting;

/// <summary>
/// The worker's liveness for a container health check, which has no HTTP endpoint to call: while the host
/// runs and the Temporal server answers a gRPC health check on the worker's own connection, it writes the
/// time to the file named by <see cref="FileVariable"/> every <see cref="Interval"/>. A stalled process or a
/// lost Temporal server lets the file age, and docker-compose.yml's check (younger than a minute) fails.
/// The hosted Temporal workers stop the host when they fail, so a running host means polling workers.
/// Without the variable it does nothing (dev, demo, a plain `plexsync worker`).
/// </summary>
public sealed class WorkerHeartbeat(ITemporalClient client, ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    public const string FileVariable = "PLEXSYNC_HEARTBEAT_FILE";

    /// <summary>Gets how often the file is written: several times within the health check's one-minute limit.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = Environment.GetEnvironmentVariable(FileVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        do
        {
            await BeatAsync(path, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task BeatAsync(string path, CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(Interval);
        try
        {
            if (await client.Connection.CheckHealthAsync(options: new RpcOptions { CancellationToken = deadline.Token }))
            {
                await File.WriteAllTextAsync(path, DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture), stoppingToken);
                return;
            }

            logger.LogWarning("Temporal answered the health check as not serving; the heartbeat file {Path} is not renewed", path);
        }
        catch (Exception e) when (e is RpcException or IOException or UnauthorizedAccessException || (e is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            logger.LogWarning("No heartbeat: {Error}; the file {Path} is not renewed", e.Message, path);
        }
    }
}
