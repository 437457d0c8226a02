using System.Globalization;
using PlexSync.Simulators;
using Temporalio.Activities;
using Temporalio.Exceptions;
using Temporalio.Worker.Interceptors;
using Xunit.Abstractions;

namespace PlexSync.Workflows.Tests;

/// <summary>
/// Measures how the first retries of syncs that failed in the same moment spread out on the real dev
/// server, whose retry timers fire no sooner than about 1 s: a plain full-jitter draw from [0, step]
/// against <see cref="Backoff.FloorJitter"/>, [1 s, 1 s + step].
/// </summary>
[Collection(DevServerCollection.Name)]
public sealed class JitterSpreadTests(DevServerFixture server, ITestOutputHelper output)
{
    private const int Syncs = 50;

    // The production default's first step.
    private static readonly RetryTuning Tuning = SyncHarness.ShortTuning with { TransientInitial = TimeSpan.FromSeconds(1), TransientMax = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task FiftySyncsFailingTogether_RetrySpreadOverASecond_NotInTheSameInstant()
    {
        var plain = await MeasureAsync(plainFullJitter: true);
        var floor = await MeasureAsync(plainFullJitter: false);

        Figures.Report(output, "First-retry jitter", $"{Syncs} syncs failing together, plain full jitter [0, 1 s]: {plain}");
        Figures.Report(output, "First-retry jitter", $"{Syncs} syncs failing together, floor jitter [1 s, 2 s]: {floor}");

        // What the server does with the delays depends on its timer processing and the machine's load, so
        // the measured spread is a printed figure; the delays PlexSync asks for are what the test holds it to.
        Assert.True(floor.Min >= TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(20), $"floor: {floor}");
        var asked = floor.Asked;
        Assert.Equal(Syncs, asked.Count);
        Assert.All(asked, d => Assert.InRange(d, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        // Uniform over ten 100 ms buckets, 50 delays put about 5 in each; 20 in one would be lockstep.
        Assert.True(asked.GroupBy(d => (int)(d.TotalMilliseconds / 100)).Max(b => b.Count()) < 20, string.Join(", ", asked));
    }

    private async Task<Spread> MeasureAsync(bool plainFullJitter)
    {
        await using var h = await SyncHarness.StartAsync(server.Client, Syncs, s => s with { Tuning = Tuning });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAttempts = 0;
        var queue = "jitter-" + Guid.NewGuid();

        // Every first item read is held until all 50 are in, then all fail at once: a Plex restart.
        h.PlexSim.AddFault(new Fault { PathPrefix = "/library/metadata/", Status = 503, Times = Syncs, Until = release.Task, Latency = SyncHarness.Limit });
        var asked = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        var interceptor = new Rewrite(plainFullJitter, ActivityPolicies.For(Tuning)[ActivityPolicies.ApplyMetadata], asked, () =>
        {
            if (Interlocked.Increment(ref firstAttempts) == Syncs)
            {
                release.TrySetResult();
            }
        });
        await using (new WorkerPair(server.Client, queue, Tuning, o =>
        {
            o.Interceptors = [interceptor];
            o.MaxConcurrentActivities = Syncs * 2;
            return o.AddAllActivities(h.Activities);
        }))
        {
            var handles = await Task.WhenAll(Enumerable.Range(1, Syncs).Select(i =>
            {
                var id = i.ToString(CultureInfo.InvariantCulture);
                var options = SyncStarter.Options(queue, id, SyncReasons.Manual);
                options.Id = $"{SceneSyncWorkflow.WorkflowId(id)}@{queue}";
                return server.Client.StartWorkflowAsync((SceneSyncWorkflow wf) => wf.RunAsync(new SceneSyncInput(id, SyncReasons.Manual, null)), options);
            }));
            await Task.WhenAll(handles.Select(handle => handle.GetResultAsync())).WaitAsync(SyncHarness.Limit);
        }

        // Each sync's failed read and its retry, from the simulator's own log.
        var reads = h.PlexSim.Requests().Where(r => r.Method == "GET" && r.Path.StartsWith("/library/metadata/", StringComparison.Ordinal) && !r.Path.EndsWith("/posters", StringComparison.Ordinal))
            .GroupBy(r => r.Path).Select(g => g.OrderBy(r => r.At).ToList()).Where(g => g.Count >= 2 && g[0].Status == 503).ToList();
        Assert.Equal(Syncs, reads.Count);
        var gaps = reads.Select(g => g[1].At - g[0].At).Order().ToList();
        var retries = reads.Select(g => g[1].At).ToList();
        var first = retries.Min();
        var largestBucket = retries.GroupBy(at => (long)((at - first).TotalMilliseconds / 100)).Max(b => b.Count());
        return new Spread(gaps[0], gaps[gaps.Count / 2], gaps[^1], largestBucket) { Asked = [.. asked] };
    }

    private sealed record Spread(TimeSpan Min, TimeSpan Median, TimeSpan Max, int LargestBucket)
    {
        /// <summary>Gets the first retry delays the failures asked the server for.</summary>
        public IReadOnlyList<TimeSpan> Asked { get; init; } = [];

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"gap min {Min.TotalMilliseconds:0} ms, median {Median.TotalMilliseconds:0} ms, max {Max.TotalMilliseconds:0} ms; largest 100 ms bucket {LargestBucket} of {Syncs}");
    }

    // Counts first ApplyMetadata attempts and, for the plain full jitter, draws the retry delay from [0, step].
    private sealed class Rewrite(bool plainFullJitter, ActivityPolicy policy, System.Collections.Concurrent.ConcurrentBag<TimeSpan> asked, Action firstAttempt) : IWorkerInterceptor
    {
        public bool PlainFullJitter => plainFullJitter;

        public ActivityPolicy Policy => policy;

        public Action FirstAttempt => firstAttempt;

        public System.Collections.Concurrent.ConcurrentBag<TimeSpan> Asked => asked;

        public ActivityInboundInterceptor InterceptActivity(ActivityInboundInterceptor nextInterceptor) => new Inbound(nextInterceptor, this);

        private sealed class Inbound(ActivityInboundInterceptor next, Rewrite outer) : ActivityInboundInterceptor(next)
        {
            public override async Task<object?> ExecuteActivityAsync(ExecuteActivityInput input)
            {
                var info = ActivityExecutionContext.Current.Info;
                if (info.ActivityType == ActivityPolicies.ApplyMetadata && info.Attempt == 1)
                {
                    outer.FirstAttempt();
                }

                try
                {
                    return await base.ExecuteActivityAsync(input);
                }
                catch (ApplicationFailureException e) when (outer.PlainFullJitter && e.NextRetryDelay is not null && !e.NonRetryable)
                {
                    var delay = outer.Policy.Backoff.FullJitter(info.Attempt);
                    outer.Asked.Add(delay);
                    throw new ApplicationFailureException(e.Message, e.ErrorType, nonRetryable: false, nextRetryDelay: delay);
                }
                catch (ApplicationFailureException e) when (e.NextRetryDelay is { } delay && info.Attempt == 1)
                {
                    outer.Asked.Add(delay);
                    throw;
                }
            }
        }
    }
}
