using PlexSync.Operations;
using Temporalio.Api.Enums.V1;

namespace PlexSync.Tests.Operations;

public sealed class FailedSyncsTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void LatestFailed_FailureThenSuccess_IsNotListed()
    {
        var runs = new[] { Run("5", 0, WorkflowExecutionStatus.Failed), Run("5", 1, WorkflowExecutionStatus.Completed) };

        Assert.Empty(FailedSyncs.LatestFailed(runs));
    }

    [Fact]
    public void LatestFailed_SuccessThenFailure_ListsTheFailedRun()
    {
        var runs = new[] { Run("5", 1, WorkflowExecutionStatus.Failed), Run("5", 0, WorkflowExecutionStatus.Completed) };

        Assert.Equal("run-5-1", Assert.Single(FailedSyncs.LatestFailed(runs)).RunId);
    }

    [Fact]
    public void LatestFailed_FailureThenRunning_IsNotListed()
    {
        var runs = new[] { Run("5", 0, WorkflowExecutionStatus.Failed), Run("5", 1, WorkflowExecutionStatus.Running) };

        Assert.Empty(FailedSyncs.LatestFailed(runs));
    }

    [Fact]
    public void LatestFailed_SeveralFailures_OneRowPerSceneWithTheNewest()
    {
        var runs = new[]
        {
            Run("5", 0, WorkflowExecutionStatus.Failed),
            Run("5", 2, WorkflowExecutionStatus.Failed),
            Run("5", 1, WorkflowExecutionStatus.Failed),
        };

        Assert.Equal("run-5-2", Assert.Single(FailedSyncs.LatestFailed(runs)).RunId);
    }

    [Theory]
    [InlineData(WorkflowExecutionStatus.Failed, true)]
    [InlineData(WorkflowExecutionStatus.TimedOut, true)]
    [InlineData(WorkflowExecutionStatus.Terminated, true)]
    [InlineData(WorkflowExecutionStatus.Canceled, true)]
    [InlineData(WorkflowExecutionStatus.Completed, false)]
    [InlineData(WorkflowExecutionStatus.ContinuedAsNew, false)]
    [InlineData(WorkflowExecutionStatus.Running, false)]
    public void LatestFailed_ByStatusOfTheLatestRun(WorkflowExecutionStatus status, bool listed)
    {
        Assert.Equal(listed, FailedSyncs.LatestFailed([Run("5", 0, status)]).Count == 1);
    }

    [Fact]
    public void LatestFailed_ManyScenes_NewestFailureFirst()
    {
        var runs = new[]
        {
            Run("1", 0, WorkflowExecutionStatus.Failed),
            Run("2", 3, WorkflowExecutionStatus.Failed),
            Run("3", 1, WorkflowExecutionStatus.Completed),
            Run("4", 2, WorkflowExecutionStatus.Terminated),
        };

        Assert.Equal(["2", "4", "1"], FailedSyncs.LatestFailed(runs).Select(r => r.SceneId));
    }

    [Theory]
    [InlineData(WorkflowExecutionStatus.Completed, "scene 5: its last sync succeeded; nothing to retry")]
    [InlineData(WorkflowExecutionStatus.Running, "scene 5: its sync is running")]
    [InlineData(WorkflowExecutionStatus.ContinuedAsNew, "scene 5: its sync is running")]
    public void Refusal_SucceededOrRunning_SaysSo(WorkflowExecutionStatus status, string message)
    {
        Assert.StartsWith(message, SyncRetrier.Refusal("5", status)?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_EveryFailedStatus_Retries()
    {
        Assert.All(FailedSyncs.FailedStatuses, s => Assert.Null(SyncRetrier.Refusal("5", s)));
    }

    private static SyncRun Run(string scene, int minutes, WorkflowExecutionStatus status)
    {
        var start = T0.AddMinutes(minutes);
        return new(scene, "scene-sync/" + scene, $"run-{scene}-{minutes}", status, start, status == WorkflowExecutionStatus.Running ? null : start.AddSeconds(5));
    }
}
