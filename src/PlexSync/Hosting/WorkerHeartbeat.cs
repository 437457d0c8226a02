using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PlexSync.Operations;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Hosting;

/// <summary>
/// The worker's readiness, checked every <see cref="Interval"/> (every second until first ready): the Temporal
/// server answers a gRPC health check on the worker's own connection, and lists this worker (by its identity)
/// among the recent pollers of both its task queues: workflows on the task queue, Plex activities on its Plex
/// queue. The answer goes to <see cref="WorkerStatus"/> (/readyz, plexsync_worker_ready) and, while ready, the
/// time to the file named by <see cref="FileVariable"/>: a container health check without HTTP (the image has
/// no curl) reads the file's age, so a stalled process, a lost server or stopped polling let it age. When
/// nothing reads the answer (no metrics endpoint, <paramref name="served"/> false, and no heartbeat file) the
/// checks stop once the worker is first ready and logged so: an idle worker then wakes on no timer of ours.
/// </summary>
internal sealed class WorkerHeartbeat(
    ITemporalClient client, WorkerIdentity identity, WorkerStatus status, TimeProvider time, ILogger<WorkerHeartbeat> logger, bool served)
    : BackgroundService
{
    public const string FileVariable = "PLEXSYNC_HEARTBEAT_FILE";

    /// <summary>Gets how often readiness is checked and the file written: several times within the health check's one-minute limit.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets how recent a poll must be. A long poll lasts up to about 70 s and the server keeps the time it
    /// began; a worker polling both queues is seen within this.
    /// </summary>
    public static TimeSpan PollRecency { get; } = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = Environment.GetEnvironmentVariable(FileVariable);
        var read = served || !string.IsNullOrEmpty(path);
        while (!stoppingToken.IsCancellationRequested)
        {
            status.Readiness = await CheckAsync(stoppingToken);
            if (status.Readiness.Ready && !string.IsNullOrEmpty(path))
            {
                await WriteAsync(path, stoppingToken);
            }

            if (NextCheck(status.Readiness.Ready, read) is not { } wait)
            {
                return;
            }

            await Task.Delay(wait, time, stoppingToken);
        }
    }

    /// <summary>
    /// When to check again: every second until ready; then every <see cref="Interval"/> while something reads
    /// the answer, else never (null).
    /// </summary>
    public static TimeSpan? NextCheck(bool ready, bool read) => !ready ? TimeSpan.FromSeconds(1) : read ? Interval : null;

    private async Task<Readiness> CheckAsync(CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(Interval);
        var rpc = new RpcOptions { CancellationToken = deadline.Token };
        string? why;
        try
        {
            why = !await client.Connection.CheckHealthAsync(options: rpc)
                ? "Temporal answered the health check as not serving"
                : await NotPollingAsync(identity.TaskQueue, TaskQueueType.Workflow, rpc)
                    ?? await NotPollingAsync(ActivityPolicies.PlexQueue(identity.TaskQueue), TaskQueueType.Activity, rpc);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Any error only means "not ready": a failing probe must never stop the worker it describes.
            why = e is RpcException or OperationCanceledException ? $"Temporal did not answer: {e.Message}" : $"the readiness check failed: {e.Message}";
        }

        var was = status.Readiness;
        if (why is not null && (was.Ready || was.Why != why))
        {
            logger.LogWarning("Worker not ready: {Why}", why);
        }
        else if (why is null && !was.Ready)
        {
            logger.LogInformation("Worker ready: Temporal lists it polling {TaskQueue} and its Plex queue", identity.TaskQueue);
        }

        return new Readiness(why is null, why ?? "ready", time.GetUtcNow());
    }

    private async Task<string?> NotPollingAsync(string taskQueue, TaskQueueType type, RpcOptions rpc)
    {
        var since = time.GetUtcNow().UtcDateTime - PollRecency;
        var pollers = await TaskQueuePollers.ListAsync(client, taskQueue, type, rpc);
        return pollers.Any(p => p.Identity == identity.Identity && p.LastPoll > since)
            ? null
            : $"the server does not list this worker ({identity.Identity}) polling task queue {taskQueue}";
    }

    private async Task WriteAsync(string path, CancellationToken stoppingToken)
    {
        try
        {
            await File.WriteAllTextAsync(path, time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), stoppingToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("No heartbeat: {Error}; the file {Path} is not renewed", e.Message, path);
        }
    }
}
