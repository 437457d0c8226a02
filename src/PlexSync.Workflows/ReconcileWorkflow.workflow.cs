using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;
using WorkflowSemaphore = Temporalio.Workflows.Semaphore;

namespace PlexSync.Workflows;

/// <summary>
/// Brings Plex in step with Stash in bulk: pages through Stash's scenes (<see cref="ScenePager"/>), compares
/// each page with Plex in one activity, and runs a <see cref="SceneSyncWorkflow"/> child only for the
/// scenes that differ, handed their match. At most <see cref="ReconcileInput.Concurrency"/> syncs run at
/// once, and the next page is checked while the previous page's syncs run.
/// </summary>
[Workflow(Name)]
public sealed class ReconcileWorkflow
{
    public const string Name = "Reconcile";

    /// <summary>The workflow ID of a reconciliation started from the CLI: one runs at a time.</summary>
    public const string DefaultId = "reconcile";

    public const string ProgressQuery = "progress";

    private readonly ActivityPolicy policy;
    private readonly List<Task> syncs = [];
    private WorkflowSemaphore? slots;

    /// <summary>Initializes a new instance of the <see cref="ReconcileWorkflow"/> class with the worker's retry tuning (values only, so the workflow stays deterministic).</summary>
    public ReconcileWorkflow(RetryTuning tuning) => policy = ActivityPolicies.For(tuning)[ActivityPolicies.CheckScenes];

    /// <summary>Gets the counts so far; the same record is the result.</summary>
    [WorkflowQuery(ProgressQuery)]
    public ReconcileProgress Progress { get; private set; } = new();

    [WorkflowRun]
    public async Task<ReconcileProgress> RunAsync(ReconcileInput input)
    {
        input = Normalize(input);
        var since = input.Since;
        if (input.Scope == ReconcileScopes.Recent)
        {
            since ??= Workflow.UtcNow - input.Window;
        }

        Progress = input.Progress with { Runs = input.Progress.Runs + 1 };
        slots = new WorkflowSemaphore(input.Concurrency);
        var cursor = input.Cursor ?? new ReconcileCursor();
        for (var pages = 0; ; pages++)
        {
            // Pages > 0: a run always makes progress, however early the server suggests continuing.
            if (pages == input.PagesPerRun || (pages > 0 && Workflow.ContinueAsNewSuggested))
            {
                await Workflow.WhenAllAsync(syncs);
                var next = input with { Since = since, Cursor = cursor, Progress = Progress };
                throw Workflow.CreateContinueAsNewException((ReconcileWorkflow w) => w.RunAsync(next));
            }

            var page = await CheckAsync(input, cursor, since);
            Count(input, page);
            await StartSyncsAsync(page.Differ);
            Workflow.CurrentDetails = Progress.Describe();
            if (page.Next is null)
            {
                await Workflow.WhenAllAsync(syncs);
                Progress = Progress with { Done = true, Remaining = 0, Total = Progress.Seen };
                Workflow.CurrentDetails = Progress.Describe();
                Workflow.Logger.LogInformation("Reconciliation finished: {Progress}", Progress.Describe());
                return Progress;
            }

            cursor = page.Next;
        }
    }

    private static ReconcileInput Normalize(ReconcileInput input)
    {
        if (!ReconcileScopes.Known.Contains(input.Scope, StringComparer.Ordinal))
        {
            throw new ApplicationFailureException($"unknown reconcile scope \"{input.Scope}\"", ErrorTypes.Rejected, nonRetryable: true);
        }

        if (ReconcileScopes.IsEntity(input.Scope) && input.EntityId.Length == 0)
        {
            throw new ApplicationFailureException($"the {input.Scope} scope needs the {input.Scope}'s Stash ID", ErrorTypes.Rejected, nonRetryable: true);
        }

        // The sizes need nothing here: ReconcileInput's init accessors turn zero into their defaults.
        return input with { Ids = [.. input.Ids.Distinct(StringComparer.Ordinal)] };
    }

    private async Task<CheckScenesResult> CheckAsync(ReconcileInput input, ReconcileCursor cursor, DateTimeOffset? since)
    {
        var check = input.Page(cursor, since);
        CheckScenesResult page;
        try
        {
            var summary = $"Compare {(input.Scope == ReconcileScopes.Ids ? check.Ids.Count + " listed" : "a page of")} Stash scenes with Plex";
            page = await Workflow.ExecuteActivityAsync(
                (ReconcileActivities a) => a.CheckScenesAsync(check), policy.Options(summary, Workflow.Info.TaskQueue));
        }
        catch (ActivityFailureException e)
        {
            // Syncs already started go on (they are abandoned, not cancelled).
            throw WorkflowFailures.FromActivity(e) ?? (Exception)e;
        }

        if (input.Scope == ReconcileScopes.Ids)
        {
            // The workflow pages explicit IDs itself: Stash does not page them.
            page = page with
            {
                Remaining = input.Ids.Count - (cursor.Offset + check.Ids.Count),
                Next = input.NextIdsPage(check),
            };
        }

        return page;
    }

    private void Count(ReconcileInput input, CheckScenesResult page)
    {
        var seen = Progress.Seen + page.Seen;
        Progress = Progress with
        {
            Seen = seen,
            Changed = Progress.Changed + page.Differ.Count,
            Skipped = Progress.Skipped + page.Missing.Count,
            Remaining = page.Remaining,
            Total = input.Scope == ReconcileScopes.Ids ? input.Ids.Count : seen + page.Remaining,
        };
    }

    // Returns once every sync of the page has started, which waits while Concurrency syncs run.
    private async Task StartSyncsAsync(IReadOnlyList<SceneToSync> scenes)
    {
        foreach (var scene in scenes)
        {
            await slots!.WaitAsync();
            syncs.Add(SyncAsync(scene));
        }
    }

    private async Task SyncAsync(SceneToSync scene)
    {
        try
        {
            var start = SyncStarter.Options(Workflow.Info.TaskQueue, scene.SceneId, SyncReasons.Reconcile);
            var result = await Workflow.ExecuteChildWorkflowAsync(
                (SceneSyncWorkflow w) => w.RunAsync(new SceneSyncInput(scene.SceneId, SyncReasons.Reconcile, scene.Match)),
                new ChildWorkflowOptions
                {
                    Id = start.Id,
                    TypedSearchAttributes = start.TypedSearchAttributes,
                    StaticSummary = start.StaticSummary,

                    // Behind the syncs of hooks, which a person waits for.
                    Priority = start.Priority,

                    // A stopped or continued reconciliation leaves its syncs running to their end.
                    ParentClosePolicy = ParentClosePolicy.Abandon,
                });
            Progress = result.Outcome switch
            {
                Outcomes.Synced => Progress with { Synced = Progress.Synced + 1 },
                Outcomes.Skipped => Progress with { Skipped = Progress.Skipped + 1 },
                _ => Progress with { Unchanged = Progress.Unchanged + 1 },
            };
        }
        catch (WorkflowAlreadyStartedException)
        {
            // A hook's sync of the scene is running; it reads Stash fresh and brings the item in step.
            Progress = Progress with { InProgress = Progress.InProgress + 1 };
        }
        catch (ChildWorkflowFailureException)
        {
            Progress = Progress with { Failed = Progress.Failed + 1 };
        }
        finally
        {
            // Live in the Web UI as each sync ends, not only when a page is done.
            Workflow.CurrentDetails = Progress.Describe();
            slots!.Release();
        }
    }
}
