using Temporalio.Api.Sdk.V1;
using Temporalio.Client;

namespace PlexSync.Testing;

/// <summary>A run's current details, read as the Web UI reads them.</summary>
public static class CurrentDetails
{
    /// <summary>The query the Web UI sends for a run's metadata; a worker answers it.</summary>
    public const string MetadataQuery = "__temporal_workflow_metadata";

    public static async Task<string> ReadAsync(WorkflowHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var metadata = await handle.QueryAsync<WorkflowMetadata>(MetadataQuery, [], new() { Rpc = new() { CancellationToken = cancellationToken } });
        return metadata.CurrentDetails;
    }
}
