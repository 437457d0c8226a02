using System.CommandLine;
using PlexSync.Configuration;
using PlexSync.Workflows;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Commands;

/// <summary>`plexsync reconcile (--all | --since 24h | --scene ID... | --performer ID ...) [--wait] | --attach`.</summary>
internal sealed class ReconcileCommand : PlexSyncCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly Option<bool> AllOption = new("--all")
    {
        Description = "Every Stash scene",
    };

    private static readonly Option<TimeSpan?> SinceOption = new("--since")
    {
        Description = "The scenes updated within this long before now, " + GoDuration.Examples + ", 24h",
        CustomParser = result => OptionValues.PositiveDuration(result),
    };

    private static readonly Option<string[]> SceneOption = new("--scene", "-s")
    {
        Description = "These Stash scene IDs (repeat, or separate with commas); IDs Stash does not have count as skipped",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = OptionValues.SceneIds,
    };

    private static readonly Option<string?> PerformerOption = EntityOption("--performer", "The scenes of this Stash performer ID (e.g. after renaming the performer)");

    private static readonly Option<string?> TagOption = EntityOption("--tag", "The scenes of this Stash tag ID");

    private static readonly Option<string?> StudioOption = EntityOption("--studio", "The scenes of this Stash studio ID");

    private static readonly Option<string?> GroupOption = EntityOption("--group", "The scenes of this Stash group ID");

    // Each scope names a set of scenes; a reconciliation has exactly one.
    private static readonly Option[] Scopes = [AllOption, SinceOption, SceneOption, PerformerOption, TagOption, StudioOption, GroupOption];

    private static readonly Option<bool> WaitOption = new("--wait", "-w")
    {
        Description = "Follow the progress until it ends and print the counts; exit status 1 if any sync failed. Ctrl-C only stops following",
    };

    private static readonly Option<bool> AttachOption = new("--attach")
    {
        Description = "Follow the running reconciliation: the one started here, else any other (scheduled, or a hook's after a rename); give no scope with it",
    };

    private static readonly Option<bool> DryRunOption = DryRunOutput.CreateOption();

    public ReconcileCommand()
        : base("reconcile", "Compare Stash with Plex and sync every scene that differs")
    {
        Description =
            """
            Start a reconciliation: page through Stash's scenes (all, those updated recently, the
            listed ones, or those of one performer, tag, studio or group), compare each page with
            Plex in one batched read, and run a scene sync only for the scenes whose Plex item
            differs. A scene whose sync is already running (from a hook) counts as in progress.

            It runs in Temporal as the workflow "reconcile", not in this process: one runs at a time,
            the Web UI shows its progress, and a worker that restarts carries on where it was. With
            --wait (or --attach, to follow a running one) a progress bar follows it; Ctrl-C only
            stops following. Spooled hook events are sent first.

            reconcile.page_size and reconcile.concurrency in the config set how many scenes are
            compared at a time and how many syncs run at once.

            With --dry-run nothing is asked of Temporal: this process pages through the same scenes,
            compares them with Plex with the sync's own code and prints, for each scene that differs,
            the fields that would change (Plex's value now and after), the poster and the rating, and
            the scenes that would fail and why. Nothing is written.
            """;
        foreach (var option in new Option[] { AllOption, SinceOption, SceneOption, PerformerOption, TagOption, StudioOption, GroupOption, WaitOption, AttachOption, DryRunOption })
        {
            Options.Add(option);
        }

        Validators.Add(result =>
        {
            var scopes = Scopes.Count(option => OptionValues.Given(result, option));
            if (OptionValues.Given(result, AttachOption))
            {
                if (scopes > 0)
                {
                    result.AddError("--attach follows the running reconciliation; give no scope with it");
                }

                if (OptionValues.Given(result, DryRunOption))
                {
                    result.AddError("--dry-run needs a scope (--all, --since, --scene ...), not --attach");
                }
            }
            else if (scopes != 1)
            {
                result.AddError("give exactly one of --all, --since DURATION, --scene ID, --performer ID, --tag ID, --studio ID or --group ID (or --attach)");
            }
        });
        SetAction(RunAsync);
    }

    /// <summary>The reconciliation a parsed command line asks for, or null for --attach.</summary>
    public static ReconcileInput? Input(ParseResult parse, ReconcileConfig config)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(config);
        var input = new ReconcileInput { PageSize = config.PageSize, Concurrency = config.Concurrency };
        var entity = new (string Scope, string? Id)[]
        {
            (ReconcileScopes.Performer, parse.GetValue(PerformerOption)),
            (ReconcileScopes.Tag, parse.GetValue(TagOption)),
            (ReconcileScopes.Studio, parse.GetValue(StudioOption)),
            (ReconcileScopes.Group, parse.GetValue(GroupOption)),
        }.SingleOrDefault(e => e.Id is not null);
        return parse.GetValue(AttachOption) ? null
            : parse.GetValue(SinceOption) is { } window ? input with { Scope = ReconcileScopes.Recent, Window = window }
            : parse.GetValue(SceneOption) is { Length: > 0 } ids ? input with { Scope = ReconcileScopes.Ids, Ids = ids }
            : entity.Id is { } id ? input with { Scope = entity.Scope, EntityId = id }
            : input;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var dryRun = parse.GetValue(DryRunOption);
        var context = CommandContext.Load(parse, needPlex: dryRun);
        var input = Input(parse, context.Config.Reconcile);
        if (dryRun)
        {
            return await DryRunOutput.RunAsync(context, input!, cancellationToken);
        }

        var client = await context.ConnectAsync(cancellationToken);
        await context.FlushSpoolAsync(client, cancellationToken);
        var handle = input is null ? await RunningAsync(client, cancellationToken) : await StartAsync(client, context.Config.Temporal.TaskQueue, input, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"Reconciliation [bold]{handle.Id}[/] is running in Temporal.");
        if (input is not null && !parse.GetValue(WaitOption))
        {
            AnsiConsole.WriteLine("Follow it with `plexsync reconcile --attach` or in the Temporal Web UI.");
            return ExitCodes.Success;
        }

        try
        {
            var progress = await FollowAsync(handle, cancellationToken);
            Write(progress);
            return progress.Failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.WriteLine("Stopped following. The reconciliation goes on in Temporal; follow it again with `plexsync reconcile --attach`.");
            return ExitCodes.Interrupted;
        }
        catch (WorkflowFailedException e)
        {
            var cause = e.InnerException is ApplicationFailureException app ? $"{app.ErrorType}: {app.Message}" : e.InnerException?.Message ?? e.Message;
            throw new UserFacingException("the reconciliation failed: " + cause, e);
        }
    }

    /// <summary>
    /// Starts the one CLI reconciliation (ID <see cref="ReconcileWorkflow.DefaultId"/>); while one runs, throws a
    /// <see cref="UserFacingException"/> that says so and suggests --attach. The hook's tasks start it too.
    /// </summary>
    internal static async Task<WorkflowHandle<ReconcileWorkflow, ReconcileProgress>> StartAsync(
        ITemporalClient client, string taskQueue, ReconcileInput input, CancellationToken cancellationToken)
    {
        try
        {
            return await client.StartWorkflowAsync((ReconcileWorkflow wf) => wf.RunAsync(input), new WorkflowOptions(ReconcileWorkflow.DefaultId, taskQueue)
            {
                // One at a time: a second start while one runs fails, and says so.
                IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
                StaticSummary = RunSummary(input),
                Rpc = new RpcOptions { CancellationToken = cancellationToken },
            });
        }
        catch (WorkflowAlreadyStartedException e)
        {
            throw new UserFacingException("a reconciliation is already running; follow it with `plexsync reconcile --attach`", e);
        }
    }

    /// <summary>The Web UI's summary of a reconciliation.</summary>
    internal static string RunSummary(ReconcileInput input) => $"Reconcile Stash with Plex ({Describe(input)})";

    // The CLI's reconciliation when it runs, else the newest running one (scheduled, or a hook's for a renamed
    // performer, tag, studio or group), so that --attach finds whatever is running.
    private static async Task<WorkflowHandle<ReconcileWorkflow, ReconcileProgress>> RunningAsync(ITemporalClient client, CancellationToken cancellationToken)
    {
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var handle = client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(ReconcileWorkflow.DefaultId);
        try
        {
            var description = await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
            if (description.Status == WorkflowExecutionStatus.Running)
            {
                return handle;
            }
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            // Never started: the same answer as a finished one.
        }

        var query = $"WorkflowType = '{ReconcileWorkflow.Name}' AND ExecutionStatus = 'Running'";
        await foreach (var running in client.ListWorkflowsAsync(query, new WorkflowListOptions { Limit = 1, Rpc = rpc }))
        {
            return client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(running.Id);
        }

        throw new UserFacingException("no reconciliation is running; start one with `plexsync reconcile --since 24h --wait`");
    }

    // Follows the progress query until the reconciliation ends: a progress bar on a terminal, otherwise a plain
    // line whenever the counts change (Spectre's own fallback prints only at milestones, at most once a second,
    // and nothing for a run shorter than that). Cancellation (Ctrl-C) stops following, never the reconciliation.
    private static Option<string?> EntityOption(string name, string description) =>
        new(name) { Description = description, CustomParser = OptionValues.StashId };

    private static async Task<ReconcileProgress> FollowAsync(WorkflowHandle<ReconcileWorkflow, ReconcileProgress> handle, CancellationToken cancellationToken)
    {
        var result = handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            string? last = null;
            await PollAsync(handle, () => result.IsCompleted, p =>
            {
                var line = p.Describe();
                if (line != last)
                {
                    AnsiConsole.WriteLine(line);
                    last = line;
                }
            }, cancellationToken);
            var final = await result;
            if (final.Describe() != last)
            {
                AnsiConsole.WriteLine(final.Describe());
            }

            return final;
        }

        await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var bar = ctx.AddTask("Reconciling", maxValue: 1);
            await PollAsync(handle, () => result.IsCompleted, p =>
            {
                bar.MaxValue = Math.Max(p.Total, 1);
                bar.Value = p.Seen;
                bar.Description = Markup.Escape($"Reconciling: {p.Changed} differ, {p.Synced} synced, {p.Failed} failed");
            }, cancellationToken);
            bar.Value = bar.MaxValue;
        });
        return await result;
    }

    private static async Task PollAsync(
        WorkflowHandle<ReconcileWorkflow, ReconcileProgress> handle, Func<bool> done, Action<ReconcileProgress> show, CancellationToken cancellationToken)
    {
        while (!done())
        {
            try
            {
                show(await handle.QueryAsync(wf => wf.Progress, new WorkflowQueryOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } }));
            }
            catch (Exception e) when (e is RpcException or WorkflowQueryFailedException or WorkflowQueryRejectedException)
            {
                // A query can fail while the run continues as new or no worker is up; the next poll retries.
                // Ctrl-C cancels a query as an RpcException: it still only stops following.
                cancellationToken.ThrowIfCancellationRequested();
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static void Write(ReconcileProgress p)
    {
        var table = new Table().RoundedBorder().AddColumn("Scenes").AddColumn(new TableColumn("Count").RightAligned());
        foreach (var (label, value) in new[]
        {
            ("checked", p.Seen),
            ("differed from Plex", p.Changed),
            ("synced", p.Synced),
            ("unchanged by the time they ran", p.Unchanged),
            ("skipped (not in Stash)", p.Skipped),
            ("already being synced (hook)", p.InProgress),
            ("failed (see the Web UI: PlexSyncOutcome = \"failed\")", p.Failed),
            ("workflow runs (continue-as-new)", p.Runs),
        })
        {
            table.AddRow(Markup.Escape(label), value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static string Describe(ReconcileInput input) => input.Scope switch
    {
        ReconcileScopes.Recent => "updated within " + input.Window,
        ReconcileScopes.Ids => $"{input.Ids.Count} listed scenes",
        ReconcileScopes.All => "all scenes",
        _ => $"the scenes of {input.Scope} {input.EntityId}",
    };
}
