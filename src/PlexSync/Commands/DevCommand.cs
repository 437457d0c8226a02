using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using PlexSync.Configuration;
using PlexSync.Hosting;
using Serilog;

namespace PlexSync.Commands;

/// <summary>`plexsync dev`: a Temporal dev server and a worker, for one machine.</summary>
internal sealed class DevCommand : PlexSyncCommand
{
    private static readonly Option<string> DataDirOption = new("--data-dir")
    {
        Description = "Where the Temporal dev server keeps its database (kept across restarts)",
        DefaultValueFactory = _ => ".data",
    };

    private static readonly Option<int?> PortOption = new("--port")
    {
        Description = "The Temporal frontend port on 127.0.0.1, instead of temporal.address's port",
        CustomParser = result => OptionValues.Port(result),
    };

    private static readonly Option<int> UiPortOption = new("--ui-port")
    {
        Description = "The Temporal Web UI port on 127.0.0.1",
        DefaultValueFactory = _ => 8233,
        CustomParser = OptionValues.Port,
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
            against it: everything a single machine needs. The server listens where temporal.address
            points (it must be this machine: 127.0.0.1, localhost or ::1), so that the hook and every
            other command find it; --port overrides that port. The Temporal CLI is taken from
            TEMPORAL_CLI_PATH, else `temporal` on PATH, else downloaded by the Temporal SDK.
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

    /// <summary>
    /// The port dev serves Temporal on: --port when given, else temporal.address's, which must be a loopback
    /// address. Returns the port and, when --port moves the server away from temporal.address, a warning.
    /// </summary>
    internal static (int Port, string? Warning) ServerPort(string temporalAddress, int? portFlag)
    {
        var problem = ListenAddress.TryParse(temporalAddress, out var address);
        if (portFlag is { } port)
        {
            return (port, address?.Port == port && address.IsLoopback
                ? null
                : $"--port {port} overrides temporal.address ({temporalAddress}): the hook and the other commands, which read temporal.address, will not find this server. Set temporal.address to 127.0.0.1:{port} instead.");
        }

        if (problem is not null || address is null)
        {
            throw new UserFacingException($"temporal.address: {problem}");
        }

        return address.IsLoopback
            ? (address.Port, null)
            : throw new UserFacingException(
                $"temporal.address is {temporalAddress}, which is not this machine: `plexsync dev` runs a Temporal server here, on 127.0.0.1. " +
                "To use that server, run `plexsync worker`; to run one here, set temporal.address (PLEXSYNC_TEMPORAL_ADDRESS) to 127.0.0.1:7233.");
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // Without ICU, matching would miss.
        PluginBuild.Refuse("the worker and dev");
        var context = CommandContext.Load(parse, needPlex: true);
        var (port, warning) = ServerPort(context.Config.Temporal.Address, parse.GetValue(PortOption));
        if (warning is not null)
        {
            Log.Warning("{Warning}", warning);
        }

        var uiPort = parse.GetValue(UiPortOption);
        EnsureFree(port, $"Temporal's port (temporal.address {context.Config.Temporal.Address}, or --port)", "set temporal.address to a free port, e.g. 127.0.0.1:7234");
        EnsureFree(uiPort, "the Web UI port", "pass a free one with --ui-port");
        var dataDir = Path.GetFullPath(parse.GetValue(DataDirOption)!);
        Directory.CreateDirectory(dataDir);
        var options = DevServer.Options(
            Path.Combine(dataDir, "temporal.db"),
            port,
            uiPort,
            PayloadEncryption.DataConverter(context.Config.Encryption),
            parse.GetValue(UiCodecEndpointOption));
        options.Namespace = context.Config.Temporal.Namespace;
        options.LoggerFactory = CommandContext.LoggerFactory();
        await using var server = await DevServer.StartAsync(options);
        Log.Information("Temporal dev server on {Address}, Web UI on http://127.0.0.1:{UiPort}, data in {DataDir}", options.TargetHost, uiPort, dataDir);
        await context.FlushSpoolAsync(server.Client, cancellationToken);
        await ReconcileSchedule.EnsureDefaultAsync(server.Client, context.Config, cancellationToken);
        await PlaysSchedule.EnsureDefaultAsync(server.Client, context.Config, cancellationToken);
        using var host = WorkerHost.Build(server.Client, context.WorkerSetup(), logger => context.ConfigureLogging(logger));
        await host.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }

    // Another program on the port would answer in the dev server's place (another Temporal, most likely).
    private static void EnsureFree(int port, string what, string remedy)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new UserFacingException($"cannot run the Temporal dev server: {what}, 127.0.0.1:{port}, is in use ({e.Message}); stop what listens there, or {remedy}.", e);
        }
    }
}
