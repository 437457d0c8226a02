using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Workflows;
using WorkflowSemaphore = Temporalio.Workflows.Semaphore;

namespace PlexSync.Workflows;

/// <summary>
/// Brings the plays of Plex's watch history into Stash: reads the history page by page from its cursor
/// (<see cref="PlaysPager"/>), starts a <see cref="RecordPlayWorkflow"/> per new row (at most
/// <see cref="PlaysInput.Concurrency"/> at once; rows of one scene and second one after the other), waits for them, and
/// returns its counts and the cursor. A Temporal Schedule runs it; each scheduled run starts from the cursor of the last
/// completed run, which the schedule hands it (Temporal keeps a schedule's last completion result), so a failed run
/// moves the cursor nowhere. A backfill (`plexsync plays sync --since`) reads a range of its own.
/// </summary>
[Workflow(Name)]
public sealed class PlaysWorkflow
{
    public const string Name = "PlaysSync";

    /// <summary>The workflow ID of a backfill started from the CLI: one runs at a time.</summary>
    public const string BackfillId = "plays-backfill";

    public const string ProgressQuery = "progress";

    private readonly IReadOnlyDictionary<string, ActivityPolicy> policies;
    private readonly List<Task> children = [];
    private readonly Dictionary<string, Task> chains = new(StringComparer.Ordinal);
    private WorkflowSemaphore? slots;

    /// <summary>Initializes a new instance of the <see cref="PlaysWorkflow"/> class with the worker's retry tuning (values only, so the workflow stays deterministic).</summary>
    public PlaysWorkflow(RetryTuning tuning) => policies = ActivityPolicies.For(tuning);

    /// <summary>Gets the counts so far.</summary>
    [WorkflowQuery(ProgressQuery)]
    public PlaysProgress Progress { get; private set; } = new();

    [WorkflowRun]
    public async Task<PlaysResult> RunAsync(PlaysInput input)
    {
        input = Normalize(input);
        var cursor = Starting(input);
        Progress = input.Progress with { Runs = input.Progress.Runs + 1, CursorAt = cursor.HighViewedAt };
        slots = new WorkflowSemaphore(input.Concurrency);
        var bound = input.Bound ?? PlaysPager.Bound(cursor);
        for (var pages = 0; ; pages++)
        {
            // Pages > 0: a run always makes progress, however early the server suggests continuing.
            if (pages == input.PagesPerRun || (pages > 0 && Workflow.ContinueAsNewSuggested))
            {
                await Workflow.WhenAllAsync(children);
                var next = input with { Cursor = cursor, Bound = bound, Progress = Progress };
                throw Workflow.CreateContinueAsNewException((PlaysWorkflow w) => w.RunAsync(next));
            }

            var page = await ReadAsync(cursor, bound, input);
            if (cursor.Server.Length > 0 && page.Server != cursor.Server)
            {
                // Another Plex server behind plex.url: importing its whole history unasked would surprise; start from now.
                Workflow.Logger.LogWarning("Plex server {Server} is not {Previous}, whose plays the cursor held: reading from now on", page.Server, cursor.Server);
                cursor = PlaysCursor.From(Workflow.UtcNow) with { Server = page.Server };
                break;
            }

            var (rows, taken) = PlaysPager.Take(cursor with { Server = page.Server }, page.Rows, page.OutOfScope);
            Progress = Progress with { Read = Progress.Read + page.Read, OutOfScope = Progress.OutOfScope + page.OutOfScope.Count, Pages = Progress.Pages + 1 };
            foreach (var (row, ordinal) in rows)
            {
                await StartAsync(page.Server, row, ordinal, input.Mode);
            }

            // The rows are durable now: their workflows are started (or were before), so a crash of this run repeats
            // nothing, and a second reader of them is refused by their IDs.
            cursor = taken;
            bound = page.NextBound;
            Progress = Progress with { CursorAt = cursor.HighViewedAt };
            Workflow.CurrentDetails = Progress.Describe();
            if (page.Done)
            {
                break;
            }
        }

        await Workflow.WhenAllAsync(children);
        var resume = await Workflow.ExecuteActivityAsync(
            (PlaysActivities a) => a.SyncResumePointsAsync(),
            policies[ActivityPolicies.SyncResumePoints].Options("Copy the resume points of items in progress (plays.resume)", Workflow.Info.TaskQueue));
        Progress = Progress with { Done = true, ResumeSet = Progress.ResumeSet + resume.Set };
        Workflow.CurrentDetails = Progress.Describe();
        Workflow.Logger.LogInformation("Plays run finished: {Progress}", Progress.Describe());
        return new PlaysResult(Progress, cursor);
    }

    // The sizes need nothing here: PlaysInput's init accessors turn zero into their defaults.
    private static PlaysInput Normalize(PlaysInput input) => input with
    {
        Mode = input.Mode == PlaysModes.Backfill ? PlaysModes.Backfill : PlaysModes.Scheduled,
    };

    // A scheduled run's first workflow run starts where the last completed run stopped; the schedule's own argument
    // (from its creation) serves only until one has completed. A continued run carries its cursor in its input.
    private static PlaysCursor Starting(PlaysInput input)
    {
        if (input.Mode != PlaysModes.Scheduled || input.Progress.Runs > 0 || Workflow.Info.LastResult is not { Count: > 0 } last)
        {
            return input.Cursor;
        }

        var previous = Workflow.PayloadConverter.ToValue<PlaysResult>(last.First());
        return previous?.Cursor ?? input.Cursor;
    }

    private async Task<PlaysPage> ReadAsync(PlaysCursor cursor, long bound, PlaysInput input)
    {
        try
        {
            return await Workflow.ExecuteActivityAsync(
                (PlaysActivities a) => a.ReadPlexHistoryAsync(new ReadPlaysInput(cursor, bound, input.Until, input.PageSize)),
                policies[ActivityPolicies.ReadPlexHistory].Options($"Read Plex's watch history from {PlayTimes.Show(bound)}", Workflow.Info.TaskQueue));
        }
        catch (ActivityFailureException e)
        {
            // Rows already started go on (they are abandoned, not cancelled); the cursor stays where the last completed run left it.
            await Workflow.WhenAllAsync(children);
            throw WorkflowFailures.FromActivity(e) ?? (Exception)e;
        }
    }

    // Returns once the row's workflow is on its way: waits for a slot, and behind an earlier row of the same scene and
    // second (so that the later one counts the earlier one's play as there before it).
    private async Task StartAsync(string server, PlayRow row, int ordinal, string mode)
    {
        await slots!.WaitAsync();
        var key = row.Match is { } m ? $"{m.SceneId}@{row.ViewedAt}" : null;
        var previous = key is not null && chains.TryGetValue(key, out var earlier) ? earlier : Task.CompletedTask;
        var task = RecordAsync(server, row, ordinal, mode, previous);
        if (key is not null)
        {
            chains[key] = task;
        }

        children.Add(task);
        Progress = Progress with { Started = Progress.Started + 1 };
    }

    private async Task RecordAsync(string server, PlayRow row, int ordinal, string mode, Task previous)
    {
        try
        {
            await previous;
            var input = new RecordPlayInput(server, row, ordinal, mode == PlaysModes.Backfill ? PlaysModes.Backfill : "schedule");
            var result = await Workflow.ExecuteChildWorkflowAsync((RecordPlayWorkflow w) => w.RunAsync(input), ChildOptions(server, row, mode));
            Count(result);
        }
        catch (WorkflowAlreadyStartedException)
        {
            // Recorded before, or being recorded by another run right now: that run does it.
            Progress = Progress with { AlreadyHandled = Progress.AlreadyHandled + 1 };
        }
        catch (ChildWorkflowFailureException)
        {
            // Listed by `plexsync failed --plays`; the cursor moves on: the row is a failed workflow, not lost.
            Progress = Progress with { Failed = Progress.Failed + 1 };
        }
        finally
        {
            Workflow.CurrentDetails = Progress.Describe();
            slots!.Release();
        }
    }

    private void Count(RecordPlayResult result) => Progress = result.Outcome switch
    {
        PlayOutcomes.Added => Progress with { Added = Progress.Added + 1, Repaired = Progress.Repaired + result.Repaired },
        PlayOutcomes.AlreadyPresent => Progress with { AlreadyPresent = Progress.AlreadyPresent + 1, Repaired = Progress.Repaired + result.Repaired },
        PlayOutcomes.Ambiguous => Progress with { Ambiguous = Progress.Ambiguous + 1 },
        _ => Progress with { Unmatched = Progress.Unmatched + 1 },
    };

    // A schedule never redoes a row recorded before; a backfill checks each again (it adds nothing Stash has).
    private static ChildWorkflowOptions ChildOptions(string server, PlayRow row, string mode) => new()
    {
        Id = RecordPlayWorkflow.WorkflowId(server, row.HistoryId, row.ViewedAt),
        IdReusePolicy = mode == PlaysModes.Backfill ? WorkflowIdReusePolicy.AllowDuplicate : WorkflowIdReusePolicy.AllowDuplicateFailedOnly,
        ParentClosePolicy = Temporalio.Workflows.ParentClosePolicy.Abandon,
        StaticSummary = RecordPlayWorkflow.Summary(row),
        TypedSearchAttributes = Attributes(row),
    };

    private static Temporalio.Common.SearchAttributeCollection Attributes(PlayRow row)
    {
        var builder = new Temporalio.Common.SearchAttributeCollection.Builder();
        if (row.Match is { } m)
        {
            builder.Set(SearchAttributes.StashSceneId, m.SceneId);
        }

        if (row.RatingKey.Length > 0)
        {
            builder.Set(SearchAttributes.PlexRatingKey, row.RatingKey);
        }

        return builder.ToSearchAttributeCollection();
    }
}
