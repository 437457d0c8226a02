using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PlexSync.Clients;
using PlexSync.Clients.StashPlugin;
using PlexSync.Configuration;
using PlexSync.Spool;
using PlexSync.Workflows;
using Serilog;

namespace PlexSync.Commands;

/// <summary>`plexsync hook`: the Stash plugin's entry point (Stash's JSON on stdin).</summary>
internal sealed class HookCommand : PlexSyncCommand
{
    /// <summary>The hook's budget when --timeout is not given.</summary>
    /// <remarks>A property, not a field: reading it must not build the command's options (the start-up path reads it).</remarks>
    public static TimeSpan DefaultTimeout => TimeSpan.FromSeconds(3);

    /// <summary>Reads a --timeout value: a positive Go-style duration (3s, 500ms).</summary>
    public static bool TryParseTimeout(string text, out TimeSpan timeout) => OptionValues.TryPositiveDuration(text, out timeout);

    private static readonly Option<TimeSpan> TimeoutOption = new("--timeout")
    {
        Description = "The most the hook may take, connecting to Temporal and sending included (Stash waits for it)",
        DefaultValueFactory = _ => DefaultTimeout,
        CustomParser = OptionValues.PositiveDuration,
    };

    public HookCommand()
        : base("hook", "Entry point for the Stash plugin (reads Stash's JSON on stdin)")
    {
        Description =
            """
            Stash runs this for the plugin's hooks and tasks, with its JSON on stdin, and waits for a hook on
            every save and on every file of a scan: a hook returns within --timeout whatever happens.

            Scene.Create.Post, and Scene.Update.Post hooks that changed a synced field or came from a scan,
            request that scene's sync (signal-with-start of scene-sync/<id>) and return as soon as Temporal
            has accepted it. Other hooks and edits of fields PlexSync does not sync are ignored. When Temporal
            cannot be reached in time, the request is written to the local spool (spool_path) and sent by the
            next hook or by `plexsync worker` at start-up: nothing is lost. Needs no Plex token.

            Performer.Update.Post, Tag.Update.Post, Studio.Update.Post and Group.Update.Post (a rename, say,
            which does not touch the scenes) start a reconciliation of exactly that performer's, tag's, studio's
            or group's scenes, workflow reconcile/<kind>/<id>; while one runs for it, further edits join it.
            When Temporal cannot be reached in time it is not requested, and Stash's log says so with the
            command that does it later.

            Tasks (args.mode, from the plugin's Settings > Tasks buttons): reconcile-recent (the scenes updated
            in the last 24 h), reconcile-all, and status (one line of counts); bounded by 30 s.
            """;
        Options.Add(TimeoutOption);
        SetAction((parse, cancellationToken) => RunAsync(new HookInvocation(parse.GetValue(Cli.ConfigOption), parse.GetValue(TimeoutOption)), cancellationToken));
    }

    /// <summary>Runs the hook; the command tree and Program's start-up path for a plain hook command line both come here.</summary>
    public static async Task<int> RunAsync(HookInvocation invocation, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var budget = invocation.Timeout;
        var reply = new StashReply(Console.Out, Console.Error);
        HookDecision? decision = null;
        string? mode = null;
        PlexSyncConfig config;
        try
        {
            var input = await PluginInput.ReadAsync(Console.OpenStandardInput(), cancellationToken);
            if (input.Args?.HookContext is { } hook)
            {
                decision = HookDecision.Decide(hook);
            }
            else
            {
                mode = PluginActions.Mode(input.Args?.Mode);
            }

            config = ConfigLoader.Load(
                ConfigLoader.ResolvePath(invocation.ConfigPath, Environment.GetEnvironmentVariable), Environment.GetEnvironmentVariable, needPlex: false);
        }
        catch (Exception e) when (e is PluginInputException or ConfigException)
        {
            return reply.Fail(e.Message);
        }

        // Stash's log gets our own lines only, with its level prefixes.
        Log.Logger = Serilog.Core.Logger.None;
        if (decision is null)
        {
            return await RunTaskAsync(reply, mode!, config, cancellationToken);
        }

        if (decision.Action == HookAction.Ignore)
        {
            return reply.Output(decision.Why);
        }

        if (decision.Action == HookAction.ReconcileUsers)
        {
            return await ReconcileUsersAsync(reply, decision, config, budget - clock.Elapsed, cancellationToken);
        }

        return await RequestSyncAsync(reply, decision, config, budget, clock, cancellationToken);
    }

    // Asks Temporal for the scene's sync within what is left of the budget; spools the request when it cannot.
    private static async Task<int> RequestSyncAsync(
        StashReply reply, HookDecision decision, PlexSyncConfig config, TimeSpan budget, Stopwatch clock, CancellationToken cancellationToken)
    {
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
            var client = await Hosting.TemporalConnector.ConnectAsync(config, NullLoggerFactory.Instance, deadline.Token);
            reply.Report(await SpoolSender.FlushAsync(spool, client, config.Temporal.TaskQueue, deadline.Token));
            await SpoolSender.SendAsync(client, config.Temporal.TaskQueue, entry, deadline.Token);
            return reply.Output($"{decision.Why}: sync requested (workflow {SceneSyncWorkflow.WorkflowId(decision.Id)})");
        }
        catch (Exception e) when (e is not PluginInputException)
        {
            return Spool(reply, spool, entry, config.Temporal.Address, e);
        }
    }

    // A task: Stash runs it in the background, so it may take longer than a hook, and it reports failures as errors.
    private static async Task<int> RunTaskAsync(StashReply reply, string mode, PlexSyncConfig config, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PluginActions.TaskTimeout);
        try
        {
            var client = await Hosting.TemporalConnector.ConnectAsync(config, NullLoggerFactory.Instance, deadline.Token);
            return reply.Output(await PluginActions.RunTaskAsync(mode, config, client, reply.Report, deadline.Token));
        }
        catch (UserFacingException e) when (e.InnerException is Temporalio.Exceptions.WorkflowAlreadyStartedException)
        {
            // A reconciliation is already running: nothing is wrong, and it covers what this one would.
            reply.Log('w', e.Message);
            return reply.Output($"{mode}: not started, {e.Message}");
        }
        catch (Exception e) when (e is not PluginInputException)
        {
            return reply.Fail(e switch
            {
                OperationCanceledException => $"{mode}: Temporal at {config.Temporal.Address} did not answer within {PluginActions.TaskTimeout.TotalSeconds:0} s",
                UserFacingException => $"{mode}: {Redaction.Redact(e.Message)}",
                _ => $"{mode}: Temporal at {config.Temporal.Address} failed: {Redaction.Redact(e.Message)}",
            });
        }
    }

    // A performer, tag, studio or group changed: reconcile its scenes, within what is left of the hook's budget.
    // Not spooled (the spool holds scene syncs): when Temporal does not answer, Stash's log says how to do it later.
    private static async Task<int> ReconcileUsersAsync(StashReply reply, HookDecision decision, PlexSyncConfig config, TimeSpan remaining, CancellationToken cancellationToken)
    {
        Exception cause;
        if (remaining > TimeSpan.Zero)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(remaining);
            try
            {
                var client = await Hosting.TemporalConnector.ConnectAsync(config, NullLoggerFactory.Instance, deadline.Token);
                var id = await PluginActions.ReconcileEntityAsync(decision, config, client, deadline.Token);
                return reply.Output($"{decision.Why} (workflow {id})");
            }
            catch (Exception e) when (e is not PluginInputException)
            {
                cause = e;
            }
        }
        else
        {
            cause = new TimeoutException("the hook's budget was spent before connecting");
        }

        var why = cause is OperationCanceledException ? "no answer in time" : Redaction.Redact(cause.Message);
        reply.Log('w', $"Temporal at {config.Temporal.Address} did not take the reconciliation of {decision.Kind} {decision.Id}'s scenes ({why}); " +
            $"not requested. Once Temporal is back, run `plexsync reconcile --{decision.Kind} {decision.Id}` or the plugin task \"Reconcile all\" " +
            "(a reconciliation of recently updated scenes does not see it: the scenes' updated_at did not change)");
        return reply.Output($"{decision.Kind} {decision.Id} changed: reconciliation not requested, Temporal unreachable");
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

        public void Report(SpoolFlush flush) => flush.Report(m => Log('i', m), m => Log('w', m));

        public int Output(string message)
        {
            Log('i', message);
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["output"] = message }, SpoolJsonContext.Default.DictionaryStringString));
            return ExitCodes.Success;
        }

        public int Fail(string message)
        {
            Log('e', message);
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = message }, SpoolJsonContext.Default.DictionaryStringString));
            return ExitCodes.Failure;
        }
    }
}
