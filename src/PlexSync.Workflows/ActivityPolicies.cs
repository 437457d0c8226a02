using Temporalio.Common;
using Temporalio.Workflows;

namespace PlexSync.Workflows;

/// <summary>How one activity is run and retried.</summary>
/// <param name="StartToClose">One attempt's limit.</param>
/// <param name="ScheduleToClose">The limit of all attempts together.</param>
/// <param name="Retry">The server-side policy; its intervals apply only to errors we do not classify.</param>
/// <param name="Backoff">Base and cap of the jittered delay of transient failures.</param>
/// <param name="SlowBackoff">Base and cap of the delay for NotInPlexYet.</param>
/// <param name="PlexBound">Runs on the Plex task queue, whose rate the server caps across all workers.</param>
/// <param name="Local">Runs in the workflow's worker without a round trip through the server: for short steps that do not touch Plex.</param>
/// <param name="Heartbeat">The heartbeat timeout, for activities that heartbeat.</param>
/// <param name="ServerErrorAttempts">
/// Attempts after which an HTTP 500 surfaces: a 500 is the server failing this request (a bug, a
/// corrupt item), which retrying for a day does not fix, unlike 502/503/504 and refused or dropped
/// connections (a restart, an outage), which keep their whole <paramref name="ScheduleToClose"/>.
/// </param>
public sealed record ActivityPolicy(
    TimeSpan StartToClose,
    TimeSpan ScheduleToClose,
    RetryPolicy Retry,
    Backoff Backoff,
    Backoff SlowBackoff,
    bool PlexBound = false,
    bool Local = false,
    TimeSpan? Heartbeat = null,
    int ServerErrorAttempts = ActivityPolicies.ServerErrorAttempts)
{
    /// <summary>The options of one call through the server; Plex-bound calls go to <paramref name="taskQueue"/>'s Plex queue.</summary>
    public ActivityOptions Options(string summary, string taskQueue) => new()
    {
        StartToCloseTimeout = StartToClose,
        ScheduleToCloseTimeout = ScheduleToClose,
        HeartbeatTimeout = Heartbeat,
        RetryPolicy = Retry,
        Summary = summary,
        TaskQueue = PlexBound ? ActivityPolicies.PlexQueue(taskQueue) : null,
    };

    /// <summary>The options of one local call.</summary>
    public LocalActivityOptions LocalOptions(string summary) => new()
    {
        StartToCloseTimeout = StartToClose,
        ScheduleToCloseTimeout = ScheduleToClose,
        RetryPolicy = Retry,
        Summary = summary,
    };
}

/// <summary>The one table of every activity's timeouts and retries.</summary>
public static class ActivityPolicies
{
    public const string FetchScene = "FetchScene";
    public const string ValidateScene = "ValidateScene";
    public const string MatchPlexItem = "MatchPlexItem";
    public const string ApplyMetadata = "ApplyMetadata";
    public const string CheckScenes = "CheckScenes";
    public const string ReadPlexHistory = "ReadPlexHistory";
    public const string MatchPlay = "MatchPlay";
    public const string SyncResumePoints = "SyncResumePoints";
    public const string ReadScenePlays = "ReadScenePlays";
    public const string AddPlay = "AddPlay";
    public const string VerifyPlay = "VerifyPlay";

    /// <summary>How many attempts an HTTP 500 gets before it surfaces: with the floor-jittered backoff, about a minute at the defaults.</summary>
    public const int ServerErrorAttempts = 6;

    /// <summary>The policy of every activity, by activity name.</summary>
    public static IReadOnlyDictionary<string, ActivityPolicy> For(RetryTuning t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var transient = new Backoff(t.TransientInitial, t.TransientMax);
        var slow = new Backoff(t.NotInPlexInitial, t.NotInPlexMax);
        return new Dictionary<string, ActivityPolicy>
        {
            [FetchScene] = new(t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, Local: true),
            [ValidateScene] = new(
                TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), Retry(t, t.TransientInitial), new Backoff(t.TransientInitial, t.TransientInitial), slow, Local: true),

            // Matching waits for Plex to scan a new file; its time limit is that wait.
            [MatchPlexItem] = new(
                t.ActivityTimeout, t.NotInPlexFor, Retry(t, Max(t.TransientMax, t.NotInPlexMax)), transient, slow, PlexBound: true),
            [ApplyMetadata] = new(t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, PlexBound: true),

            // A page is read-only work, so a retry repeats it safely; a heartbeat per scene lets a crashed
            // worker's page move to another worker before the attempt's whole limit has passed.
            [CheckScenes] = new(
                t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, PlexBound: true, Heartbeat: Min(t.ActivityTimeout, TimeSpan.FromSeconds(30))),

            // Plays: reading the history and matching only read, so a retry repeats them safely; the page read and the
            // resume points heartbeat per row or item. A resume point is absolute (Stash replaces it), so it is safe to retry.
            [ReadPlexHistory] = new(
                t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, PlexBound: true, Heartbeat: Min(t.ActivityTimeout, TimeSpan.FromSeconds(30))),
            [MatchPlay] = new(t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, PlexBound: true),
            [SyncResumePoints] = new(
                t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, PlexBound: true, Heartbeat: Min(t.ActivityTimeout, TimeSpan.FromSeconds(30))),

            // The count before anything is written, kept in the history like FetchScene's read. Adding is retried safely
            // because each attempt reads the count again first; a retried add's late double is removed by VerifyPlay.
            [ReadScenePlays] = new(t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow, Local: true),
            [AddPlay] = new(t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow),
            [VerifyPlay] = new(t.ActivityTimeout, t.TransientFor, Retry(t, t.TransientMax), transient, slow),
        };
    }

    /// <summary>The task queue of the Plex-bound activities of <paramref name="taskQueue"/>.</summary>
    public static string PlexQueue(string taskQueue) => taskQueue + "-plex";

    private static RetryPolicy Retry(RetryTuning t, TimeSpan max) => new()
    {
        InitialInterval = t.TransientInitial,
        BackoffCoefficient = 2,
        MaximumInterval = max,
        NonRetryableErrorTypes = ErrorTypes.NonRetryable,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
