using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace PlexSync.Operations;

/// <summary>One worker polling a task queue, as the server lists it: a worker that polled within the last few minutes.</summary>
internal sealed record Poller(string Identity, DateTime? LastPoll);

/// <summary>Asks the Temporal server who polls a task queue; `plexsync status` and the worker's readiness both ask.</summary>
internal static class TaskQueuePollers
{
    public static async Task<IReadOnlyList<Poller>> ListAsync(ITemporalClient client, string taskQueue, TaskQueueType type, RpcOptions rpc)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.WorkflowService.DescribeTaskQueueAsync(
            new DescribeTaskQueueRequest
            {
                Namespace = client.Options.Namespace,
                TaskQueue = new TaskQueue { Name = taskQueue },
                TaskQueueType = type,
            },
            rpc);
        return [.. response.Pollers.Select(p => new Poller(p.Identity, p.LastAccessTime?.ToDateTime()))];
    }
}
