using System.Diagnostics;
using Temporalio.Testing;
using Xunit.Abstractions;

namespace PlexSync.FaultTests;

/// <summary>The scenario that kills its Temporal server, so it has a server of its own, on a database file.</summary>
[Collection(FaultCollection.Name)]
public sealed class TemporalRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TemporalKilledAndRestartedOnItsDatabase_RunFinishes_AllInStep()
    {
        var directory = Directory.CreateTempSubdirectory("plexsync-restart-").FullName;
        var database = Path.Combine(directory, "temporal.db");
        var options = TestServers.Options(database, LocalPorts.Free());
        var first = await WorkflowEnvironment.StartLocalAsync(options);
        WorkflowEnvironment? second = null;
        try
        {
            await using var fault = await FaultLibrary.StartAsync(first.Client);
            await fault.RunUntilWrittenAsync(40);

            await KillServerAsync(database);
            var down = Stopwatch.StartNew();
            second = await WorkflowEnvironment.StartLocalAsync(options);
            var restarted = down.Elapsed;
            fault.Client = second.Client;
            var progress = await fault.ResultAsync();
            var finished = down.Elapsed - restarted;

            await fault.AssertInvariantAsync(progress);
            await fault.AssertNoCredentialsAsync();
            Figures.Report(
                output,
                "Temporal dev server killed (SIGKILL) and restarted",
                $"back on its database in {FaultSuiteTests.Seconds(restarted)}; the run finished {FaultSuiteTests.Seconds(finished)} later");
        }
        finally
        {
            if (second is not null)
            {
                await second.ShutdownAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    // The SDK does not expose the server's process: it is the one whose command line names the database.
    // The SDK started it and reaps it only at shutdown, so once dead it stays a zombie (which holds no
    // port and no file): Process.WaitForExit would wait for ever, the process state says it is dead.
    private static async Task KillServerAsync(string database)
    {
        var pid = Assert.Single(LinuxProcesses.Find(args => args.Contains(database)));
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(); // SIGKILL
        }

        await Poll.UntilAsync(() => LinuxProcesses.IsDead(pid), TimeSpan.FromSeconds(10), $"the killed dev server (pid {pid}) to be a zombie");
    }
}
