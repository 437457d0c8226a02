using PlexSync.Workflows;
using Temporalio.Testing;

namespace PlexSync.Hosting;

/// <summary>Starts the Temporal dev server for `dev` and `demo`, keeping failed syncs visible for 30 days.</summary>
public static class DevServerHost
{
    public static async Task<WorkflowEnvironment> StartAsync(WorkflowEnvironmentStartLocalOptions options)
    {
        WorkflowEnvironment server;
        try
        {
            server = await WorkflowEnvironment.StartLocalAsync(options);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            throw new UserFacingException(
                $"cannot start the Temporal dev server: {e.Message}. Set {DevServer.CliPathVariable} to a Temporal CLI binary, " +
                "or put one at .tools/temporal (temporal/unpack-cli.sh does so from the offline copy); with internet, the Temporal SDK downloads it.",
                e);
        }

        await DevServer.SetRetentionAsync(server.Client, TimeSpan.FromDays(30));
        return server;
    }
}
