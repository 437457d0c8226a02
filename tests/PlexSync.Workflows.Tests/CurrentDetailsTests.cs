using System.Globalization;
using PlexSync.Simulators;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// What a sync shows as its current details (the Web UI's live view; PlexSync.WebUiTests reads them in
/// the browser): the pass and the step it is at, how it ended, or the step it failed at.
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class CurrentDetailsTests(DevServerFixture server)
{
    [Fact]
    public async Task SceneSync_ShowsPassAndStep_ThenHowItEnded()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        var writing = new[] { NewSignal(), NewSignal() };
        var release = new[] { NewSignal(), NewSignal() };
        var writes = 0;
        h.BeforeActivity = async (name, _) =>
        {
            if (name == ActivityPolicies.ApplyMetadata && Interlocked.Increment(ref writes) is var n and <= 2)
            {
                writing[n - 1].SetResult();
                await release[n - 1].Task.WaitAsync(SyncHarness.Limit);
            }
        };
        var handle = await h.StartAsync(1);
        var step = $"Write scene 1 to Plex item {h.Library.RatingKey(1).ToString(CultureInfo.InvariantCulture)}";

        await writing[0].Task.WaitAsync(SyncHarness.Limit);
        Assert.Equal($"Pass 1: {step}", await CurrentDetails.ReadAsync(handle));
        h.StashSim.Update(1, s => s.Title = "Edited during pass 1");
        await handle.SignalAsync(wf => wf.SceneChangedAsync(SyncReasons.Hook));
        release[0].SetResult();

        await writing[1].Task.WaitAsync(SyncHarness.Limit);
        Assert.Equal($"Pass 2: {step}", await CurrentDetails.ReadAsync(handle));
        release[1].SetResult();

        var result = await handle.GetResultAsync().WaitAsync(SyncHarness.Limit);
        Assert.Equal(2, result.Passes);
        Assert.Equal($"Done: synced after 2 passes, changed {string.Join(", ", result.Changed)}", await CurrentDetails.ReadAsync(handle));
    }

    [Fact]
    public async Task SceneSync_Failed_ShowsTheStepItFailedAt()
    {
        await using var h = await SyncHarness.StartAsync(server.Client, 1);
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/sections", Status = 401 });

        await h.FailAsync(1);

        var handle = server.Client.GetWorkflowHandle(h.WorkflowId(1));
        Assert.Equal("Failed in pass 1: Find the Plex item for scene 1", await CurrentDetails.ReadAsync(handle));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
