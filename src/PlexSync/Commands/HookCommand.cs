using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using PlexSync.Clients;
using PlexSync.Clients.StashPlugin;
using PlexSync.Configuration;
using PlexSync.Spool;
using PlexSync.Workflows;
using Serilog;

namespace PlexSync.Commands;

/// <summary>`plexsync hook`: the Stash plugin's entry point (Stash's JSON on stdin).</summary>
internal sealed class HookCommand : Command
{
    private static readonly Option<TimeSpan> TimeoutOption = new("--timeout")
    {
        Description = "The most the hook may take, connecting to Temporal and sending included (Stash waits for it)",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(3),
        CustomParser = r => GoDuration.TryParse(r.Tokens.Single().Value, out var d) && d > TimeSpan.Zero
            ? d
            : throw new FormatException($"--timeout: \"{r.Tokens.Single().Value}\" is not a positive duration like 3s or 500ms"),
    };

    public HookCommand()
        : base("hook", "Entry point for the Stash plugin (reads Stash's JSON on stdin)")
    {
        Description =
            """
            Stash runs this for the plugin's hooks, with its JSON on stdin, and waits for it on every save
            and on every file of a scan: it returns within --timeout whatever happens.

            Scene.Create.Post, and Scene.Update.Post hooks that changed a synced field or came from a scan,
            request that scene's sync (signal-with-start of scene-sync/<id>) and return as soon as Temporal
            has accepted it. Other hooks and edits of fields PlexSync does not sync are ignored. When Temporal
            cannot be reached in time, the request is written to the local spool (spool_path) and sent by the
            next hook or by `plexsync worker` at start-up: nothing is lost. Needs no Plex token.
            """;
        Options.Add(TimeoutOption);
        SetAction(RunAsync);
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var budget = parse.GetValue(TimeoutOption);
        var reply = new StashReply(Console.Out, Console.Error);
        HookDecision decision;
        PlexSyncConfig config;
        try
        {
            var input = await PluginInput.ReadAsync(Console.OpenStandardInput(), cancellationToken);
            decision = input.Args?.HookContext is { } hook
                ? HookDecision.Decide(hook)
                : throw new PluginInputException($"unknown task mode \"{input.Args?.Mode}\"; this version of the plugin runs hooks only");
            config = ConfigLoader.Load(
                ConfigLoader.ResolvePath(parse.GetValue(Cli.ConfigOption), Environment.GetEnvironmentVariable), Environment.GetEnvironmentVariable, needPlex: false);
        }
        catch (Exception e) when (e is PluginInputException or ConfigException)
        {
            return reply.Fail(e.Message);
        }

        // Stash's log gets our own lines only, with its level prefixes.
        Log.Logger = new LoggerConfiguration().CreateLogger();
        if (decision.Action == HookAction.Ignore)
        {
            return reply.Output(decision.Why);
        }

        if (decision.Action == HookAction.ReconcileUsers)
        {
            return reply.Output($"ignored: {decision.Why.Replace(": reconciling its scenes", "", StringComparison.Ordinal)} (renames reach Plex with the next reconciliation)");
        }

        var spool = new SyncSpool(config.SpoolPath);
        var entry = new SpoolEntry(decision.Id, SyncReasons.Hook, DateTimeOffset.UtcNow);

        // What is left of the budget, less a margin for spooling: on a loaded machine start-up alone may use it all.
        var remaining = budget - clock.Elapsed - TimeSpan.FromMilliseconds(200);
        if (remaining <= TimeSpan.Zero)
        {
            return Spool(reply, spool, entry, config.Temporal.Address, new TimeoutException($"the {budget.TotalSeconds:0.#} s budget was spent before connecting"));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(remaining);
        try
        {
            var client = await Hosting.TemporalConnector.ConnectAsync(
                config.Temporal.Address, config.Temporal.Namespace, CommandContext.LoggerFactory(), deadline.Token);
            await SpoolSender.FlushAsync(spool, client, config.Temporal.TaskQueue, reply.Log, deadline.Token);
            await SpoolSender.SendAsync(client, config.Temporal.TaskQueue, entry, deadline.Token);
            return reply.Output($"{decision.Why}: sync requested (workflow {SceneSyncWorkflow.WorkflowId(decision.Id)})");
        }
        catch (Exception e) when (e is not PluginInputException)
        {
            return Spool(reply, spool, entry, config.Temporal.Address, e);
        }
    }

    // Keeps a sync request that Temporal did not take.
    private static int Spool(StashReply reply, SyncSpool spool, SpoolEntry entry, string address, Exception cause)
    {
        var why = cause is OperationCanceledException ? "no answer in time" : Redaction.Redact(cause.Message);
        try
        {
            spool.Append(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return reply.Fail($"the sync of scene {entry.SceneId} reached neither Temporal at {address} ({why}) nor the spool {spool.Path}: {e.Message}");
        }

        reply.Log('w', $"Temporal at {address} did not take the sync of scene {entry.SceneId} ({why}); it is spooled in {spool.Path} " +
            "and will be sent by the next hook or by `plexsync worker` at start-up");
        return reply.Output($"scene {entry.SceneId} spooled: Temporal unreachable");
    }

    /// <summary>Stash's raw plugin protocol: one JSON object on stdout; log lines on stderr prefixed with 0x01, a level letter and 0x02.</summary>
    private sealed class StashReply(TextWriter stdout, TextWriter stderr)
    {
        public void Log(char level, string message) => stderr.Write($"\u0001{level}\u0002{message}\n");

        public int Output(string message)
        {
            Log('i', message);
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["output"] = message }));
            return ExitCodes.Success;
        }

        public int Fail(string message)
        {
            Log('e', message);
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }));
            return ExitCodes.Failure;
        }
    }
}
