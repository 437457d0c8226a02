using Temporalio.Client;
using Temporalio.Testing;
using Xunit;

namespace PlexSync.Testing;

/// <summary>
/// One real Temporal dev server for a test assembly's collection, as the samples do; each test gets its
/// own task queue. Each assembly declares its collection with this fixture.
/// </summary>
public sealed class DevServerFixture : IAsyncLifetime
{
    private WorkflowEnvironment? environment;

    public ITemporalClient Client => environment?.Client ?? throw new InvalidOperationException("the dev server has not started");

    public async Task InitializeAsync() => environment = await WorkflowEnvironment.StartLocalAsync(TestServers.Options());

    public async Task DisposeAsync()
    {
        if (environment is not null)
        {
            await environment.ShutdownAsync();
        }
    }
}
