using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace PlexSync.Operations;

/// <summary>What `plexsync check` found: each check, and how a sample of scenes matched.</summary>
internal sealed record SetupReport(IReadOnlyList<CheckLine> Checks, MatchSurvey? Matching)
{
    /// <summary>Gets a value indicating whether something needs fixing: a failed check, or a sampled scene a sync would not find in Plex.</summary>
    public bool NeedsFixing => Checks.Any(c => !c.Ok) || Matching is null or { AllMatched: false };
}

/// <summary>The checks of `plexsync check`: the servers, Temporal's setup and workers, and matching.</summary>
internal static class SetupCheck
{
    /// <summary>How many Plex movies are listed as extra evidence for a mapping suggestion.</summary>
    public const int PlexSample = 500;

    /// <summary>Runs every check; a server that fails its check skips the checks that need it.</summary>
    public static async Task<SetupReport> RunAsync(
        PlexSyncConfig config, ScenePlanner planner, Clients.IStashClient stash, Clients.IPlexClient plex, int sample, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(planner);
        var lines = new List<CheckLine>();
        var stashLine = Advise(await ServiceProbe.StashAsync(stash, new Uri(config.Stash.Url), !config.Stash.ApiKey.IsEmpty, cancellationToken));
        var (plexLine, sections) = await ServiceProbe.PlexAsync(plex, new Uri(config.Plex.Url), cancellationToken);
        lines.AddRange([stashLine, plexLine]);
        var sectionsLine = plexLine.Ok ? Advise(ServiceProbe.Sections(config.Plex.Sections, sections)) : null;
        if (sectionsLine is not null)
        {
            lines.Add(sectionsLine);
        }

        lines.AddRange(await TemporalAsync(config, loggers, cancellationToken));
        if (!stashLine.Ok || sectionsLine is not { Ok: true })
        {
            return new SetupReport(lines, null);
        }

        var plexFiles = await PlexFilesAsync(plex, sections, config.Plex.Sections, cancellationToken);
        return new SetupReport(lines, await MatchSurvey.TakeAsync(planner, stash, sample, plexFiles, cancellationToken));
    }

    /// <summary>What a `check` user sets to fix a line's problem: the configuration's keys.</summary>
    public static CheckLine Advise(CheckLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line
            .Advise(CheckProblem.KeyMissing, "set it as stash.api_key (or stash.api_key_file, or PLEXSYNC_STASH_API_KEY)")
            .Advise(CheckProblem.Sections, "set plex.sections to the ones that hold your Stash files");
    }

    /// <summary>Reads a sample of the files of the configured movie sections, for the path mappings to be judged on.</summary>
    public static async Task<IReadOnlyList<string>> PlexFilesAsync(
        IPlexClient plex, IReadOnlyList<PlexSection> sections, IReadOnlyCollection<string> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plex);
        ArgumentNullException.ThrowIfNull(sections);
        var files = new List<string>();
        foreach (var section in sections.Where(s => wanted.Contains(s.Title, StringComparer.OrdinalIgnoreCase)))
        {
            files.AddRange((await plex.ListMoviesAsync(section.Key, PlexSample, cancellationToken)).SelectMany(m => m.Files));
        }

        return files;
    }

    private static async Task<IReadOnlyList<CheckLine>> TemporalAsync(PlexSyncConfig config, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ITemporalClient client;
        try
        {
            client = await TemporalConnector.ConnectAsync(config, loggers, cancellationToken);
        }
        catch (UserFacingException e)
        {
            return [new CheckLine("Temporal", false, e.Message)];
        }

        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var queue = config.Temporal.TaskQueue;
        var lines = new List<CheckLine> { new("Temporal", true, $"{config.Temporal.Address}, namespace {config.Temporal.Namespace}") };
        try
        {
            lines.Add(await SearchAttributesAsync(client, rpc));
            foreach (var status in await Task.WhenAll(
                StatusGatherer.QueueAsync(client, queue, TaskQueueType.Workflow, "workflows", rpc),
                StatusGatherer.QueueAsync(client, ActivityPolicies.PlexQueue(queue), TaskQueueType.Activity, "Plex activities", rpc)))
            {
                lines.Add(status.Pollers > 0
                    ? new CheckLine($"Worker on {status.TaskQueue}", true, $"{status.Pollers} pollers ({status.Kind})")
                    : new CheckLine($"Worker on {status.TaskQueue}", false,
                        $"no worker has polled task queue {status.TaskQueue} ({status.Kind}) in the last few minutes: start `plexsync worker` with this config (temporal.task_queue {queue})"));
            }

            lines.Add(await ScheduleAsync(client, config, rpc));
        }
        catch (RpcException e)
        {
            lines.Add(new CheckLine("Temporal", false, $"Temporal at {config.Temporal.Address} answered with an error: {e.Message}; check temporal.namespace ({config.Temporal.Namespace})"));
        }

        return lines;
    }

    private static async Task<CheckLine> SearchAttributesAsync(ITemporalClient client, RpcOptions rpc)
    {
        var response = await client.Connection.OperatorService.ListSearchAttributesAsync(
            new ListSearchAttributesRequest { Namespace = client.Options.Namespace }, rpc);
        var missing = SearchAttributes.All.Select(a => a.Name).Where(n => !response.CustomAttributes.ContainsKey(n)).ToList();
        return missing.Count == 0
            ? new CheckLine("Search attributes", true, string.Join(", ", SearchAttributes.All.Select(a => a.Name)))
            : new CheckLine("Search attributes", false,
                $"namespace {client.Options.Namespace} lacks {string.Join(", ", missing)}: register them with temporal/setup-search-attributes.sh " +
                "(`plexsync dev` registers them itself)");
    }

    private static async Task<CheckLine> ScheduleAsync(ITemporalClient client, PlexSyncConfig config, RpcOptions rpc)
    {
        var schedule = await StatusGatherer.ScheduleAsync(client, rpc);
        if (schedule.Exists)
        {
            return new CheckLine("Reconcile schedule", true, schedule.Paused ? $"{schedule.Id} (paused)" : $"{schedule.Id}, next run {schedule.NextRun:yyyy-MM-dd HH:mm} UTC");
        }

        return config.Reconcile.DefaultInterval() is null
            ? new CheckLine("Reconcile schedule", true, "none (reconcile.schedule is off)")
            : new CheckLine("Reconcile schedule", false,
                $"no schedule {schedule.Id}: a worker creates it at start (reconcile.schedule {config.Reconcile.Schedule}); or `plexsync schedule set`");
    }
}
