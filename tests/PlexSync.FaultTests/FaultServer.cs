using PlexSync.Workflows;
using Temporalio.Client;
using Temporalio.Testing;

namespace PlexSync.FaultTests;

/// <summary>The dev server the scenarios share (one per run); each scenario has its own task queue and scene IDs.</summary>
public sealed class FaultServer : IAsyncLifetime
{
    private WorkflowEnvironment? server;

    public ITemporalClient Client => server?.Client ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => server = await WorkflowEnvironment.StartLocalAsync(DevServer.Options());

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.ShutdownAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<FaultServer>
{
    public const string Name = "Fault suite";
}
