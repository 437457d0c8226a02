using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using PlexSync.Simulators;
using PlexSync.Workflows;
using PlexSync.Workflows.Encryption;
using Temporalio.Client;
using Temporalio.Exceptions;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PlexSync.WebUiTests;

/// <summary>
/// The Temporal Web UI as an operator uses it, in headless Chromium, with encryption on: finding a failed
/// sync by its outcome, reading why it failed and which scene it was, reading its decrypted input, and
/// watching a reconciliation and a sync make progress through their current details.
/// </summary>
public sealed class WebUiTests(WebUiFixture fixture, ITestOutputHelper output) : IClassFixture<WebUiFixture>
{
    private const string NoChromium = $"Chromium is missing at {WebUiFixture.ChromiumPath}: apt-get install chromium (.ci/run does so); the Web UI tests download no browser";
    private const string WrongToken = "webui-wrong-plex-token-5d2a";
    private const string FailedFilter = "PlexSyncOutcome = \"failed\"";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(45);

    [SkippableFact]
    public async Task FailedSync_FoundByOutcome_ShowsErrorSummaryAndDecryptedInput()
    {
        Skip.IfNot(WebUiFixture.HasChromium, NoChromium);
        var clock = Stopwatch.StartNew();
        await using var world = await StartWorldAsync(scenes: 2);
        await world.StartWorkerAsync();

        // A second worker with a wrong Plex token on a queue of its own: its syncs fail with AuthFailed.
        var badQueue = world.TaskQueue + "-bad-token";
        await world.StartWorkerAsync(new Dictionary<string, string> { ["PLEXSYNC_PLEX_TOKEN"] = WrongToken, ["PLEXSYNC_TASK_QUEUE"] = badQueue });
        var good = world.Id(1).ToString(CultureInfo.InvariantCulture);
        var bad = world.Id(2).ToString(CultureInfo.InvariantCulture);
        var synced = await SyncStarter.StartAsync(fixture.Client, world.TaskQueue, good, SyncReasons.Manual);
        Assert.Equal(Outcomes.Synced, (await synced.GetResultAsync().WaitAsync(Limit)).Outcome);
        var failing = await SyncStarter.StartAsync(fixture.Client, badQueue, bad, SyncReasons.Manual);
        var failed = await Assert.ThrowsAsync<WorkflowFailedException>(() => failing.GetResultAsync().WaitAsync(Limit));
        var failure = Assert.IsType<ApplicationFailureException>(failed.InnerException);
        Assert.Equal(ErrorTypes.AuthFailed, failure.ErrorType);
        Assert.DoesNotContain(WrongToken, failure.Message, StringComparison.Ordinal);

        // What the server stores is ciphertext: the UI can show the input only through the codec server.
        var started = (await failing.FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
        Assert.Equal(AesGcmPayloadCodec.EncryptedEncoding, started.Input.Payloads_[0].Metadata["encoding"].ToStringUtf8());
        await WaitForListedAsync($"{FailedFilter} AND WorkflowId = '{failing.Id}'");

        var failedLink = new PageGetByRoleOptions { Name = failing.Id, Exact = true };
        var syncedLink = new PageGetByRoleOptions { Name = synced.Id, Exact = true };
        await using var steps = await OperatorSteps.OpenAsync(fixture.Browser, Path.Combine(fixture.Screenshots, "failed-sync"), output);
        await steps.StepAsync("workflow-list", async page =>
        {
            await page.GotoAsync(new Uri(fixture.Ui, "namespaces/default/workflows").ToString());
            await Expect(page.GetByRole(AriaRole.Link, failedLink)).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, syncedLink)).ToBeVisibleAsync();
        });
        await steps.StepAsync("filter-failed", async page =>
        {
            // The raw query box, behind the list's "</>" toggle.
            var query = page.GetByRole(AriaRole.Searchbox, new() { Name = "Enter a query" });
            if (!await query.IsVisibleAsync())
            {
                await page.GetByTestId("toggle-manual-query").ClickAsync();
            }

            await query.FillAsync(FailedFilter);
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Link, syncedLink)).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, failedLink)).ToBeVisibleAsync();
        });
        await steps.StepAsync("failed-run-error", async page =>
        {
            await page.GetByRole(AriaRole.Link, failedLink).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = failing.Id, Exact = true })).ToBeVisibleAsync();
            // The Result box of a failed run holds its failure, message decrypted.
            var result = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Textbox).Nth(1);
            await Expect(result).ToContainTextAsync(failure.Message);
            await Expect(result).ToContainTextAsync($"\"type\": \"{ErrorTypes.AuthFailed}\"");
        });
        await steps.StepAsync("decrypted-input", async page =>
        {
            var input = page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Textbox).First;
            await Expect(input).ToContainTextAsync($"\"sceneId\": \"{bad}\"");
            await Expect(input).ToContainTextAsync($"\"reason\": \"{SyncReasons.Manual}\"");
        });
        await steps.StepAsync("summary-names-scene", async page =>
        {
            await OpenUserMetadataAsync(page);
            await Expect(UserMetadata(page, "Summary")).ToContainTextAsync(SceneSyncWorkflow.Summary(bad, SyncReasons.Manual));

            // And the step it failed at.
            await Expect(UserMetadata(page, "Current Details")).ToContainTextAsync($"Failed in pass 1: Find the Plex item for scene {bad}");
        });
        Report(steps, clock);
    }

    [SkippableFact]
    public async Task RunningReconcileAndSync_ShowTheirProgressAsCurrentDetails()
    {
        Skip.IfNot(WebUiFixture.HasChromium, NoChromium);
        var clock = Stopwatch.StartNew();
        await using var world = await StartWorldAsync(scenes: 3);

        // Plex holds every metadata edit (PUT /library/sections/N/all) until the pages are read: the syncs stay at their write step.
        var writes = new TaskCompletionSource();
        world.Plex.AddFault(new Fault { Method = "PUT", PathPrefix = "/library/sections/", Until = writes.Task, Latency = Limit });
        await world.StartWorkerAsync();
        var (code, started) = await PlexSyncProcess.RunAsync(["reconcile", "--all", "--config", world.ConfigPath], Limit);
        Assert.True(code == 0, started);
        var reconcile = fixture.Client.GetWorkflowHandle<ReconcileWorkflow, ReconcileProgress>(ReconcileWorkflow.DefaultId);
        var sync = fixture.Client.GetWorkflowHandle(SceneSyncWorkflow.WorkflowId(world.Id(1).ToString(CultureInfo.InvariantCulture)));
        try
        {
            var reconciling = await WaitForDetailsAsync(reconcile, d => d.Contains("3 differed", StringComparison.Ordinal));
            Assert.StartsWith("Reconciling: 3 of 3 scenes checked", reconciling, StringComparison.Ordinal);
            Assert.Equal((await reconcile.QueryAsync(wf => wf.Progress)).Describe(), reconciling);
            var writing = await WaitForDetailsAsync(sync, d => d.Contains("Write scene", StringComparison.Ordinal));
            Assert.Equal($"Pass 1: Write scene {world.Id(1)} to Plex item {world.RatingKey(1)}", writing);

            await using var steps = await OperatorSteps.OpenAsync(fixture.Browser, Path.Combine(fixture.Screenshots, "live-progress"), output);
            await steps.StepAsync("reconcile-current-details", async page =>
            {
                await ExpectDetailsAsync(page, reconcile.Id, reconciling);
                await Expect(UserMetadata(page, "Summary")).ToContainTextAsync("Reconcile Stash with Plex");
            });
            await steps.StepAsync("sync-current-details", page => ExpectDetailsAsync(page, sync.Id, writing));
            writes.SetResult();
            var done = await reconcile.GetResultAsync().WaitAsync(Limit);
            Assert.Equal(3, done.Synced);
            await steps.StepAsync("reconcile-finished-details", page => ExpectDetailsAsync(page, reconcile.Id, done.Describe()));

            // A finished sync says how it ended.
            var finished = await WaitForDetailsAsync(sync, d => d.StartsWith("Done", StringComparison.Ordinal));
            Assert.StartsWith("Done: synced after 1 pass, changed ", finished, StringComparison.Ordinal);
            await steps.StepAsync("sync-finished-details", page => ExpectDetailsAsync(page, sync.Id, finished));
            Report(steps, clock);
        }
        finally
        {
            writes.TrySetResult();
        }
    }

    private static async Task<string> WaitForDetailsAsync(WorkflowHandle handle, Func<string, bool> condition)
    {
        var details = "";
        await Poll.UntilAsync(
            async ct =>
            {
                try
                {
                    details = await CurrentDetails.ReadAsync(handle, ct);
                }
                catch (RpcException)
                {
                    // Not started yet, or its first workflow task not yet done: ask again.
                    return false;
                }

                return condition(details);
            },
            Limit,
            $"the current details of {handle.Id} to be as expected",
            () => details);
        return details;
    }

    private async Task ExpectDetailsAsync(IPage page, string workflowId, string details)
    {
        await page.GotoAsync(new Uri(fixture.Ui, $"namespaces/default/workflows/{Uri.EscapeDataString(workflowId)}").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = workflowId, Exact = true })).ToBeVisibleAsync();
        await OpenUserMetadataAsync(page);
        await Expect(UserMetadata(page, "Current Details")).ToContainTextAsync(details);
    }

    // Summary, details and current details are on the run's "User Metadata" tab.
    private static Task OpenUserMetadataAsync(IPage page) => page.GetByRole(AriaRole.Tab, new() { Name = "User Metadata" }).ClickAsync();

    // The tab renders each text (Markdown) in a sandboxed frame below its heading.
    private static ILocator UserMetadata(IPage page, string heading) =>
        page.Locator($"xpath=//h3[normalize-space()='{heading}']/following::iframe[1]").ContentFrame.Locator("body");

    private Task<WorkerWorld> StartWorldAsync(int scenes) =>
        WorkerWorld.StartAsync(fixture.Client, scenes, new Dictionary<string, string> { ["encryption.keys"] = $"\"{fixture.Keys}\"" });

    private async Task WaitForListedAsync(string query) =>
        await Poll.UntilAsync(async ct => await fixture.Client.CountWorkflowsAsync(query, new() { Rpc = new() { CancellationToken = ct } }) is { Count: 1 }, Limit, $"visibility to list one run for {query}");

    private void Report(OperatorSteps steps, Stopwatch clock) =>
        Figures.Report(output, "Web UI in Chromium", string.Create(
            CultureInfo.InvariantCulture,
            $"{steps.Passed.Count} steps passed in {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", steps.Passed)}; screenshots in {fixture.Screenshots}"));
}
