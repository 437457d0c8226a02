using Temporalio.Client;
using Temporalio.Worker;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// The two workers a worker process runs, on a test's own task queue: the workflows and the local
/// activities on the queue, the Plex-bound activities on its Plex queue, each with the activities' failure
/// classifier after the test's own interceptors. Stopped by disposal.
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
        TemporalWorkerOptions Configure(string queue) => ActivityFailureInterceptor.AddTo(configure(new TemporalWorkerOptions(queue)), tuning);

        var main = Configure(taskQueue);
        foreach (var definition in WorkflowDefinitions.All(tuning))
        {
            main.AddWorkflow(definition);
        }

        foreach (var options in new[] { main, Configure(ActivityPolicies.PlexQueue(taskQueue)) })
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
