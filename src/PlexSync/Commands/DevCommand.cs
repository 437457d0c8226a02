using System.CommandLine;
using Microsoft.Extensions.Hosting;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;
using Serilog;

namespace PlexSync.Commands;

/// <summary>`plexsync dev`: a Temporal dev server and a worker, for one machine.</summary>
internal sealed class DevCommand : Command
{
    private static readonly Option<string> DataDirOption = new("--data-dir")
    {
        Description = "Where the Temporal dev server keeps its database (kept across restarts)",
        DefaultValueFactory = _ => ".data",
    };

    private static readonly Option<int> PortOption = new("--port")
    {
        Description = "The Temporal frontend port on 127.0.0.1",
        DefaultValueFactory = _ => 7233,
    };

    private static readonly Option<int> UiPortOption = new("--ui-port")
    {
        Description = "The Temporal Web UI port on 127.0.0.1",
        DefaultValueFactory = _ => 8233,
    };

    private static readonly Option<Uri?> UiCodecEndpointOption = new("--ui-codec-endpoint")
    {
        Description = "A codec server (`plexsync codec-server`) the Web UI decodes encrypted payloads with, e.g. http://127.0.0.1:8081",
    };

    public DevCommand()
        : base("dev", "Run a Temporal dev server and a worker on this machine")
    {
        Description =
            """
            Run a Temporal dev server (SQLite database in --data-dir, kept across restarts; failed
            syncs stay visible for 30 days; Web UI on http://127.0.0.1:8233) and a PlexSync worker
            against it: everything a single machine needs. The Temporal CLI is taken from
            TEMPORAL_CLI_PATH or .tools/temporal, else downloaded by the Temporal SDK.
            Ctrl-C stops both, letting running activities finish. Like `plexsync worker`, it creates
            the reconciliation schedule when there is none (reconcile.schedule; `plexsync schedule --help`).
            With encryption on, run `plexsync codec-server` and pass its URL as --ui-codec-endpoint so that
            the Web UI shows payloads decrypted.
            """;
        Options.Add(DataDirOption);
        Options.Add(PortOption);
        Options.Add(UiPortOption);
        Options.Add(UiCodecEndpointOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var context = CommandContext.Load(parse, needPlex: true);
        var dataDir = Path.GetFullPath(parse.GetValue(DataDirOption)!);
        Directory.CreateDirectory(dataDir);
        var options = DevServer.Options(
            Path.Combine(dataDir, "temporal.db"),
            parse.GetValue(PortOption),
            parse.GetValue(UiPortOption),
            PayloadEncryption.DataConverter(context.Config.Encryption),
            parse.GetValue(UiCodecEndpointOption));
        options.Namespace = context.Config.Temporal.Namespace;
        options.LoggerFactory = CommandContext.LoggerFactory();
        await using var server = await DevServerHost.StartAsync(options);
        Log.Information(
            "Temporal dev server on {Address}, Web UI on http://127.0.0.1:{UiPort}, data in {DataDir}",
            options.TargetHost, parse.GetValue(UiPortOption), dataDir);
        await context.FlushSpoolAsync(server.Client, cancellationToken);
        await ReconcileSchedule.EnsureDefaultAsync(server.Client, context.Config, cancellationToken);
        using var host = WorkerHost.Build(server.Client, context.WorkerSetup(), logger => context.ConfigureLogging(logger));
        await host.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
