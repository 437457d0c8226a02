using Temporalio.Client;
using Temporalio.Worker;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// The two workers a worker process runs (<see cref="WorkerQueues"/>), on a test's own task queue, with the
/// test's activities and interceptors on both. Stopped by disposal.
/// </summary>
public sealed class WorkerPair : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<TemporalWorker> workers = [];
    private readonly List<Task> running = [];

    /// <summary>Starts both workers; <paramref name="configure"/> adds activities (and interceptors) to each worker's options.</summary>
    public WorkerPair(ITemporalClient client, string taskQueue, RetryTuning tuning, Func<TemporalWorkerOptions, TemporalWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var main = WorkerQueues.Main(configure(new TemporalWorkerOptions(taskQueue)), tuning);
        var plex = WorkerQueues.Plex(configure(new TemporalWorkerOptions(ActivityPolicies.PlexQueue(taskQueue))), tuning);
        foreach (var options in new[] { main, plex })
        {
            var worker = new TemporalWorker(client, options);
            workers.Add(worker);
            running.Add(worker.ExecuteAsync(stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        foreach (var task in running)
        {
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (OperationCanceledException)
            {
                // The workers stop by cancellation.
            }
        }

        workers.ForEach(w => w.Dispose());
        stop.Dispose();
    }
}
