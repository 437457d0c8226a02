using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PlexSync.Hosting;
using Serilog;

namespace PlexSync.Commands;

/// <summary>`plexsync worker`: runs a worker until Ctrl-C or SIGTERM.</summary>
internal sealed class WorkerCommand : PlexSyncCommand
{
    public WorkerCommand()
        : base("worker", "Run a PlexSync worker against the configured Temporal server")
    {
        Description =
            """
            Run a PlexSync worker: it executes scene syncs (workflows and their Stash and Plex
            activities) from the configured Temporal server. Run as many as you like; they share
            the work. Ctrl-C or SIGTERM stops it gracefully: running activities finish first.
            Needs the Plex token and Stash key (see plexsync.example.yaml). At start-up it creates
            the reconciliation schedule when there is none (reconcile.schedule; `plexsync schedule --help`).
            With metrics.listen set (e.g. 127.0.0.1:9464) it serves Prometheus metrics on /metrics,
            liveness on /healthz and readiness (connected, polling both task queues) on /readyz.
            """;
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // Without ICU, matching would miss.
        PluginBuild.Refuse("the worker and dev");
        var context = CommandContext.Load(parse, needPlex: true);
        var setup = context.WorkerSetup();
        // The SDK's metrics join ours on the worker's endpoint; a runtime is made once per process.
        using var temporalMeter = new TemporalMeter();
        var client = await context.ConnectAsync(cancellationToken, setup.Metrics is not null ? temporalMeter.CreateRuntime() : null);
        await context.FlushSpoolAsync(client, cancellationToken);
        await ReconcileSchedule.EnsureDefaultAsync(client, context.Config, cancellationToken);
        await PlaysSchedule.EnsureDefaultAsync(client, context.Config, cancellationToken);
        using var host = WorkerHost.Build(client, setup, logger => context.ConfigureLogging(logger));
        Log.Information("Worker polling {TaskQueue} on {Address}", context.Config.Temporal.TaskQueue, context.Config.Temporal.Address);
        await host.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
