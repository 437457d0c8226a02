using PlexSync.Domain;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace PlexSync.Workflows.Tests;

[Collection(DevServerCollection.Name)]
public sealed class SceneSyncWorkflowTests(DevServerFixture server)
{
    private readonly string taskQueue = "tq-" + Guid.NewGuid();

    [Fact]
    public async Task RunAsync_ChangedItem_SyncsAndRecordsOutcome()
    {
        var fakes = new FakeActivities();
        var (result, handle) = await RunAsync(fakes, "7");

        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal("100", result.RatingKey);
        Assert.Equal(["title"], result.Changed);
        Assert.Equal(1, result.Passes);
        var attributes = (await handle.DescribeAsync()).TypedSearchAttributes;
        Assert.Equal("7", attributes.Get(SearchAttributes.StashSceneId));
        Assert.Equal(Outcomes.Synced, attributes.Get(SearchAttributes.Outcome));
        Assert.Equal("100", attributes.Get(SearchAttributes.PlexRatingKey));
    }

    [Fact]
    public async Task RunAsync_NothingToWrite_IsUnchanged()
    {
        var fakes = new FakeActivities { Apply = (_, _) => Task.FromResult(new ApplyResult([])) };
        var (result, _) = await RunAsync(fakes, "8");
        Assert.Equal(Outcomes.Unchanged, result.Outcome);
        Assert.Empty(result.Changed);
    }

    [Fact]
    public async Task RunAsync_SceneDeleted_IsSkippedWithoutTouchingPlex()
    {
        var fakes = new FakeActivities { Scene = _ => null };
        var (result, handle) = await RunAsync(fakes, "9");
        Assert.Equal(Outcomes.Skipped, result.Outcome);
        Assert.Equal(Outcomes.Skipped, (await handle.DescribeAsync()).TypedSearchAttributes.Get(SearchAttributes.Outcome));
        Assert.Equal(0, fakes.Matches);
        Assert.Equal(0, fakes.Applies);
    }

    [Fact]
    public async Task RunAsync_MatchFromReconcile_SkipsMatchOnFirstPass()
    {
        var fakes = new FakeActivities();
        var (result, _) = await RunAsync(fakes, "10", new PlexMatch("55", ItemMatcher.ByPath));
        Assert.Equal("55", result.RatingKey);
        Assert.Equal(0, fakes.Matches);
    }

    [Fact]
    public async Task RunAsync_ItemGoneOnce_MatchesAgain()
    {
        var fakes = new FakeActivities
        {
            Apply = (n, _) => n == 1 ? throw Failure(ErrorTypes.PlexItemGone) : Task.FromResult(new ApplyResult(["title"])),
        };
        var (result, _) = await RunAsync(fakes, "11", new PlexMatch("55", ItemMatcher.ByPath));
        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal("100", result.RatingKey);
        Assert.Equal(1, fakes.Matches);
    }

    [Fact]
    public async Task RunAsync_ItemGoneTwice_FailsWithPlexItemGone()
    {
        var fakes = new FakeActivities { Apply = (_, _) => throw Failure(ErrorTypes.PlexItemGone) };
        var failure = await FailAsync(fakes, "12");
        Assert.Equal(ErrorTypes.PlexItemGone, failure.ErrorType);
        Assert.Equal(2, fakes.Applies);
    }

    [Fact]
    public async Task RunAsync_TransientFailures_RetriedUntilSuccess()
    {
        var fakes = new FakeActivities
        {
            Apply = (n, _) => n <= 3
                ? throw new ApplicationFailureException("plex: HTTP 503", ErrorTypes.Unavailable, nextRetryDelay: TimeSpan.FromMilliseconds(20))
                : Task.FromResult(new ApplyResult(["title"])),
        };
        var (result, _) = await RunAsync(fakes, "13");
        Assert.Equal(Outcomes.Synced, result.Outcome);
        Assert.Equal(4, fakes.Applies);
    }

    [Theory]
    [InlineData(ErrorTypes.AuthFailed)]
    [InlineData(ErrorTypes.InvalidScene)]
    [InlineData(ErrorTypes.AmbiguousMatch)]
    [InlineData(ErrorTypes.Rejected)]
    [InlineData(ErrorTypes.ConfigError)]
    public async Task RunAsync_NonRetryableType_FailsAtOnceWithThatType(string type)
    {
        // Even without nonRetryable set by the activity, the policy table stops these types.
        var fakes = new FakeActivities { Apply = (_, _) => throw new ApplicationFailureException("no", type) };
        var failure = await FailAsync(fakes, "14" + type);
        Assert.Equal(type, failure.ErrorType);
        Assert.Equal(1, fakes.Applies);
    }

    [Fact]
    public async Task RunAsync_FailedSync_RecordsFailedOutcome()
    {
        var fakes = new FakeActivities { Apply = (_, _) => throw Failure(ErrorTypes.AuthFailed) };
        var handle = await StartAsync("15", null);
        await using var worker = Worker(fakes);
        await worker.ExecuteAsync(async () => await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync()));
        var attributes = (await handle.DescribeAsync()).TypedSearchAttributes;
        Assert.Equal(Outcomes.Failed, attributes.Get(SearchAttributes.Outcome));
    }

    [Fact]
    public async Task RunAsync_FailsInItsFirstWorkflowTask_RecordsFailedOutcome()
    {
        // Fetch and validate are local activities: an invalid scene fails the run in its first task.
        var fakes = new FakeActivities { Validate = _ => throw Failure(ErrorTypes.InvalidScene) };
        var handle = await StartAsync("17", null);
        await using var worker = Worker(fakes);
        await worker.ExecuteAsync(async () => await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync()));
        var attributes = (await handle.DescribeAsync()).TypedSearchAttributes;
        Assert.Equal(Outcomes.Failed, attributes.Get(SearchAttributes.Outcome));
    }

    [Fact]
    public async Task SceneChanged_DuringPass_CoalescesIntoOneMorePass()
    {
        var applyStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fakes = new FakeActivities
        {
            Apply = async (n, _) =>
            {
                if (n == 1)
                {
                    applyStarted.SetResult();
                    await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
                }

                return new ApplyResult(n == 1 ? ["title"] : ["summary"]);
            },
        };
        var handle = await StartAsync("16", null);
        await using var worker = Worker(fakes);
        var result = await worker.ExecuteAsync(async () =>
        {
            await applyStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            for (var i = 0; i < 5; i++)
            {
                await handle.SignalAsync(wf => wf.SceneChangedAsync("hook"));
            }

            release.SetResult();
            return await handle.GetResultAsync();
        });

        Assert.Equal(2, result.Passes);
        Assert.Equal(2, fakes.Fetches);
        Assert.Equal(["summary", "title"], result.Changed.Order(StringComparer.Ordinal));
    }

    private static ApplicationFailureException Failure(string type) => new("failed: " + type, type, nonRetryable: true);

    private async Task<(SceneSyncResult Result, WorkflowHandle<SceneSyncWorkflow, SceneSyncResult> Handle)> RunAsync(
        FakeActivities fakes, string sceneId, PlexMatch? match = null)
    {
        var handle = await StartAsync(sceneId, match);
        await using var worker = Worker(fakes);
        var result = await worker.ExecuteAsync(() => handle.GetResultAsync());
        return (result, handle);
    }

    private async Task<ApplicationFailureException> FailAsync(FakeActivities fakes, string sceneId)
    {
        var handle = await StartAsync(sceneId, null);
        await using var worker = Worker(fakes);
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync()));
        return Assert.IsType<ApplicationFailureException>(error.InnerException);
    }

    private Task<WorkflowHandle<SceneSyncWorkflow, SceneSyncResult>> StartAsync(string sceneId, PlexMatch? match) =>
        server.Client.StartWorkflowAsync(
            (SceneSyncWorkflow wf) => wf.RunAsync(new SceneSyncInput(sceneId, SyncReasons.Manual, match)),
            new WorkflowOptions(SceneSyncWorkflow.WorkflowId(sceneId) + "-" + Guid.NewGuid(), taskQueue)
            {
                IdConflictPolicy = WorkflowIdConflictPolicy.Fail,
            });

    private Workers Worker(FakeActivities fakes) => new(server.Client, taskQueue, fakes);

    // The workflow worker and the Plex-queue worker, as a real worker process runs them.
    private sealed class Workers(ITemporalClient client, string taskQueue, FakeActivities fakes) : IAsyncDisposable
    {
        private readonly TemporalWorker main = new(client, Options(taskQueue, fakes, withWorkflows: true));
        private readonly TemporalWorker plex = new(client, Options(ActivityPolicies.PlexQueue(taskQueue), fakes, withWorkflows: false));

        public Task<T> ExecuteAsync<T>(Func<Task<T>> body) =>
            plex.ExecuteAsync(() => main.ExecuteAsync(body));

        public ValueTask DisposeAsync()
        {
            main.Dispose();
            plex.Dispose();
            return ValueTask.CompletedTask;
        }

        private static TemporalWorkerOptions Options(string queue, FakeActivities fakes, bool withWorkflows)
        {
            var options = new TemporalWorkerOptions(queue).AddAllActivities(fakes);
            if (withWorkflows)
            {
                foreach (var definition in WorkflowDefinitions.All(SyncHarness.ShortTuning))
                {
                    options.AddWorkflow(definition);
                }
            }

            return options;
        }
    }
}
