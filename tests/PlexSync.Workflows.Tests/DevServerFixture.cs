using Temporalio.Client;
using Temporalio.Testing;

namespace PlexSync.Workflows.Tests;

/// <summary>One real Temporal dev server for the whole test run, as the samples do; each test gets its own task queue.</summary>
public sealed class DevServerFixture : IAsyncLifetime
{
    private WorkflowEnvironment? environment;

    public ITemporalClient Client => environment?.Client ?? throw new InvalidOperationException("the dev server has not started");

    public async Task InitializeAsync() => environment = await WorkflowEnvironment.StartLocalAsync(DevServer.Options());

    public async Task DisposeAsync()
    {
        if (environment is not null)
        {
            await environment.ShutdownAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DevServerCollection : ICollectionFixture<DevServerFixture>
{
    public const string Name = "Temporal dev server";
}
