using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace PlexSync.Hosting;

/// <summary>What worker start-up does with a default schedule: creates it when the namespace has none, never changes one.</summary>
internal static class ScheduleCreator
{
    /// <summary>
    /// Creates the schedule unless one with its ID exists. Workers starting together race on the create; the losers see it
    /// exists. Returns what happened and, when Temporal refused (e.g. no permission for schedules), its message.
    /// </summary>
    public static async Task<(ReconcileSchedule.DefaultResult Result, string? Error)> CreateIfMissingAsync(
        ITemporalClient client, string id, Schedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            await client.CreateScheduleAsync(id, schedule, new ScheduleOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
            return (ReconcileSchedule.DefaultResult.Created, null);
        }
        catch (ScheduleAlreadyRunningException)
        {
            return (ReconcileSchedule.DefaultResult.Exists, null);
        }
        catch (RpcException e)
        {
            return (ReconcileSchedule.DefaultResult.Failed, e.Message);
        }
    }
}
