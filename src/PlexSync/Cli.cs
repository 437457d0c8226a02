using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using PlexSync.Clients;
using PlexSync.Commands;
using Spectre.Console;

namespace PlexSync;

/// <summary>The `plexsync` command line.</summary>
internal static class Cli
{
    public static Option<string?> ConfigOption { get; } = new("--config", "-c")
    {
        Description = "Config file (YAML). Default: $PLEXSYNC_CONFIG, else ./plexsync.yaml when present",
        Recursive = true,
    };

    public static Option<bool> DebugOption { get; } = new("--debug")
    {
        Description = "Log at debug level",
        Recursive = true,
    };

    public static Option<string?> LogFormatOption { get; } = new Option<string?>("--log-format")
    {
        Description = "Log format: text or json (overrides log.format)",
        Recursive = true,
    }.AcceptOnlyFromAmong("text", "json");

    /// <summary>Builds the command tree; tests parse with it without running anything.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            """
            PlexSync copies each Stash scene's curated metadata (title, details, studio, date,
            performers, tags, collections, rating, poster) to the matching Plex item.
            Every scene sync is a Temporal workflow: retries, crash recovery and the operator's
            view (Temporal Web UI) come from the Temporal server.

            New here? `plexsync init` writes a configuration, `plexsync check` checks it.
            """);
        root.Options.Add(ConfigOption);
        root.Options.Add(DebugOption);
        root.Options.Add(LogFormatOption);
        root.Subcommands.Add(new WorkerCommand());
        root.Subcommands.Add(new DevCommand());
        root.Subcommands.Add(new SyncCommand());
        root.Subcommands.Add(new HookCommand());
        root.Subcommands.Add(new ReconcileCommand());
        root.Subcommands.Add(new PlaysCommand());
        root.Subcommands.Add(new ScheduleCommand());
        root.Subcommands.Add(new StatusCommand());
        root.Subcommands.Add(new FailedCommand());
        root.Subcommands.Add(new RetryCommand());
        root.Subcommands.Add(new CodecServerCommand());
        root.Subcommands.Add(new InitCommand());
        root.Subcommands.Add(new CheckCommand());
        SummaryHelpAction.Use(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new InvocationConfiguration
        {
            // A worker lets running activities finish on Ctrl-C or SIGTERM; give it the time to.
            ProcessTerminationTimeout = TimeSpan.FromMinutes(1),
            EnableDefaultExceptionHandler = false,
        };
        // Spectre.Console assumes 80 columns when the output is not a terminal and wraps plain lines there;
        // a log file or a pipe reads better with the width COLUMNS gives, or a wide one.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : 200;
        }

        var parse = CreateRootCommand().Parse(args);
        var code = await ReportingErrorsAsync(() => parse.InvokeAsync(configuration));

        // A command line that does not parse was answered with its errors and the usage.
        return parse.Action is ParseErrorAction ? ExitCodes.Usage : code;
    }

    /// <summary>
    /// Runs a plain `plexsync hook` without the command tree (Stash waits for it on every save); SIGINT and
    /// SIGTERM cancel it as the tree's invocation would.
    /// </summary>
    internal static async Task<int> RunHookAsync(HookInvocation hook)
    {
        using var stop = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        return await ReportingErrorsAsync(() => HookCommand.RunAsync(hook, stop.Token));
    }

    // What every command shares: a failure the user can act on is one line on stderr, not a stack trace.
    private static async Task<int> ReportingErrorsAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is UserFacingException or ConfigException or ServiceException)
        {
            await Console.Error.WriteLineAsync("plexsync: " + Redaction.Redact(e.Message));
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
    }
}

/// <summary>The exit statuses of `plexsync`.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed, or a sync waited for failed; the output says what.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: an unknown command or option, a missing or bad value; the usage follows the error.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C or SIGTERM.</summary>
    public const int Interrupted = 130;
}
