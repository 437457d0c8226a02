using System.Globalization;
using PlexSync.Clients.StashPlugin;
using PlexSync.Configuration;
using PlexSync.Spool;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace PlexSync.Commands;

/// <summary>
/// What `plexsync hook` does besides scene syncs: the plugin's tasks (Settings &gt; Tasks in Stash, args.mode)
/// and the reconciliation of one performer's, tag's, studio's or group's scenes when Stash says it changed.
/// </summary>
internal static class PluginActions
{
    public const string ReconcileRecent = "reconcile-recent";
    public const string ReconcileAll = "reconcile-all";
    public const string Status = "status";

    /// <summary>The task modes stash-plugin/plexsync.yml may name in defaultArgs.</summary>
    public static readonly IReadOnlyList<string> TaskModes = [ReconcileRecent, ReconcileAll, Status];

    /// <summary>Gets how far back the "Reconcile recent" task looks.</summary>
    public static TimeSpan RecentWindow { get; } = TimeSpan.FromHours(24);

    /// <summary>Gets the bound of a task: Stash runs tasks in the background, not during a save, so they may wait longer than a hook.</summary>
    public static TimeSpan TaskTimeout { get; } = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    /// <summary>The workflow ID of the reconciliation of one performer's (tag's, studio's, group's) scenes: one per entity, so renames coalesce.</summary>
    public static string EntityWorkflowId(string kind, string id) => $"reconcile/{kind}/{id}";

    /// <summary>Checks a task's mode before anything else happens.</summary>
    public static string Mode(string? mode) =>
        mode is not null && TaskModes.Contains(mode, StringComparer.Ordinal)
            ? mode
            : throw new PluginInputException($"unknown task mode \"{mode}\"; the plugin's tasks use {string.Join(", ", TaskModes)}");

    /// <summary>Runs a task and returns the line for Stash's log; throws <see cref="UserFacingException"/> when a reconciliation already runs.</summary>
    public static async Task<string> RunTaskAsync(string mode, PlexSyncConfig config, ITemporalClient client, Action<SpoolFlush> flushed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (mode == Status)
        {
            return await StatusLineAsync(client, config.SpoolPath, cancellationToken);
        }

        // As `plexsync reconcile` does: spooled hook events first, then the one CLI reconciliation.
        flushed(await SpoolSender.FlushAsync(new SyncSpool(config.SpoolPath), client, config.Temporal.TaskQueue, cancellationToken));
        var input = new ReconcileInput { PageSize = config.Reconcile.PageSize, Concurrency = config.Reconcile.Concurrency };
        input = mode == ReconcileRecent ? input with { Scope = ReconcileScopes.Recent, Window = RecentWindow } : input with { Scope = ReconcileScopes.All };
        var handle = await ReconcileCommand.StartAsync(client, config.Temporal.TaskQueue, input, cancellationToken);
        return $"{ReconcileCommand.RunSummary(input)}: started (workflow {handle.Id}); follow it in the Temporal Web UI or with `plexsync reconcile --attach`";
    }

    /// <summary>
    /// Starts the reconciliation of the scenes of the performer, tag, studio or group a hook named, restarting the
    /// one already running for it, and returns its ID.
    /// </summary>
    public static async Task<string> ReconcileEntityAsync(HookDecision decision, PlexSyncConfig config, ITemporalClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(client);
        var input = new ReconcileInput
        {
            Scope = decision.Kind,
            EntityId = decision.Id,
            PageSize = config.Reconcile.PageSize,
            Concurrency = config.Reconcile.Concurrency,
        };
        var handle = await client.StartWorkflowAsync((ReconcileWorkflow wf) => wf.RunAsync(input), new WorkflowOptions(EntityWorkflowId(decision.Kind, decision.Id), config.Temporal.TaskQueue)
        {
            // A later edit of the same performer restarts the run, so every scene ends with the latest name;
            // the syncs the first run started go on (children are abandoned, not cancelled).
            IdConflictPolicy = WorkflowIdConflictPolicy.TerminateExisting,
            StaticSummary = ReconcileCommand.RunSummary(input),
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
        });
        return handle.Id;
    }

    // One line for Stash's log: what `plexsync status` shows first, counted by the same rules (a failed sync by
    // its status, which also counts runs recorded before failures set the outcome attribute in every case).
    private static async Task<string> StatusLineAsync(ITemporalClient client, string spoolPath, CancellationToken cancellationToken)
    {
        var since = (DateTime.UtcNow - Day).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var syncs = $"WorkflowType = '{SceneSyncWorkflow.Name}'";
        var closed = $"CloseTime > '{since}'";
        string[] queries =
        [
            $"{syncs} AND ExecutionStatus = 'Running'",
            $"{syncs} AND ExecutionStatus = 'Completed' AND {SearchAttributes.Outcome.Name} = '{Outcomes.Synced}' AND {closed}",
            $"{syncs} AND ExecutionStatus = 'Completed' AND {SearchAttributes.Outcome.Name} = '{Outcomes.Unchanged}' AND {closed}",
            $"{syncs} AND ExecutionStatus = 'Completed' AND {SearchAttributes.Outcome.Name} = '{Outcomes.Skipped}' AND {closed}",
            $"{syncs} AND ExecutionStatus = 'Failed' AND {closed}",
            $"WorkflowType = '{ReconcileWorkflow.Name}' AND ExecutionStatus = 'Running'",
        ];
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var counts = await Task.WhenAll(queries.Select(async q => (await client.CountWorkflowsAsync(q, new WorkflowCountOptions { Rpc = rpc })).Count));
        var spooled = new SyncSpool(spoolPath).Entries().Count;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{counts[0]} syncs running; last 24 h: {counts[1]} synced, {counts[2]} unchanged, {counts[3]} skipped, {counts[4]} failed; " +
            $"{counts[5]} reconciliations running; {spooled} spooled hook events (details: `plexsync status`, `plexsync failed`)");
    }
}
