using Microsoft.Extensions.Logging;
using PlexSync.Clients;
using Temporalio.Activities;

namespace PlexSync.Workflows;

/// <summary>
/// The plays' Plex-bound activities: reading a page of the watch history, matching a row again (a retried row), and
/// copying resume points. Reads and matching are <see cref="PlaysPlanner"/>'s, shared with the CLI's dry run.
/// </summary>
public sealed class PlaysActivities(
    IStashClient stash,
    IPlexClient plex,
    SyncSettings settings,
    PlexSectionCache sections,
    PlexServerCache server,
    ILogger<PlaysActivities> logger)
{
    public PlaysPlanner Planner { get; } = new(stash, plex, settings, sections, server);

    /// <summary>Reads one page of Plex's watch history and matches its new rows; read-only, so a retry repeats it safely.</summary>
    [Activity(ActivityPolicies.ReadPlexHistory)]
    public async Task<PlaysPage> ReadPlexHistoryAsync(ReadPlaysInput input)
    {
        var context = ActivityExecutionContext.Current;
        var ct = context.CancellationToken;
        var page = await Planner.ReadAsync(input, () => context.Heartbeat(), ct);
        logger.LogInformation(
            "Read {Read} Plex history rows from {Bound}: {New} new, {OutOfScope} of other accounts or sections",
            page.Read, PlayTimes.Show(input.Bound), page.Rows.Count, page.OutOfScope);
        return page;
    }

    /// <summary>Matches one row's Plex item to its Stash scene, for a row recorded again after its match was cleared.</summary>
    [Activity(ActivityPolicies.MatchPlay)]
    public async Task<PlayRow> MatchPlayAsync(PlayRow row) =>
        (await Planner.MatchAsync([row with { Match = null, Problem = null }], null, ActivityExecutionContext.Current.CancellationToken))[0];

    /// <summary>
    /// With plays.resume, copies where the token's user stopped in each item in progress to its scene's resume point,
    /// only where it differs by a second or more. The value is absolute and Stash replaces it, so a retry writes the same.
    /// </summary>
    [Activity(ActivityPolicies.SyncResumePoints)]
    public async Task<ResumeResult> SyncResumePointsAsync()
    {
        var context = ActivityExecutionContext.Current;
        var ct = context.CancellationToken;
        if (!settings.Plays.Resume)
        {
            return new ResumeResult(0, 0);
        }

        var (checkedCount, set) = (0, 0);
        foreach (var key in await sections.KeysAsync(plex, settings.Sections, ct))
        {
            foreach (var item in await plex.InProgressAsync(key, ct))
            {
                checkedCount++;
                set += await CopyResumeAsync(item, ct) ? 1 : 0;
                context.Heartbeat();
            }
        }

        logger.LogInformation("Resume points: {Checked} Plex items in progress, {Set} written to Stash", checkedCount, set);
        return new ResumeResult(checkedCount, set);
    }

    private async Task<bool> CopyResumeAsync(PlexProgressItem item, CancellationToken ct)
    {
        var found = await Planner.FindSceneAsync(item.Files, ct);
        if (found.Scene is not { } scene || await stash.ScenePlaysAsync(scene.SceneId, ct) is not { } plays)
        {
            return false;
        }

        var seconds = item.ViewOffsetMs / 1000.0;
        if (Math.Abs(plays.ResumeTime - seconds) < 1)
        {
            return false;
        }

        await stash.SaveResumeAsync(scene.SceneId, seconds, ct);
        return true;
    }

}
