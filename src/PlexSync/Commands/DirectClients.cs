using PlexSync.Clients;
using PlexSync.Configuration;
using PlexSync.Hosting;
using PlexSync.Workflows;

namespace PlexSync.Commands;

/// <summary>
/// Stash and Plex clients in this process, for the commands that read the servers themselves (check, init,
/// dry runs), with the sync's own planner over them. Nothing here writes.
/// </summary>
internal sealed class DirectClients : IDisposable
{
    private readonly PlexSectionCache sections = new(TimeProvider.System);

    public DirectClients(PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        PluginBuild.Refuse("check, init and the dry runs");
        StashUrl = new Uri(config.Stash.Url);
        PlexUrl = new Uri(config.Plex.Url);
        Stash = StashClient.Create(config.ToStashClientOptions());
        Plex = PlexClient.Create(config.ToPlexClientOptions());
        Planner = new ScenePlanner(Stash, Plex, config.ToSyncSettings(), sections, new PosterMemory());
    }

    public Uri StashUrl { get; }

    public Uri PlexUrl { get; }

    public IStashClient Stash { get; }

    public IPlexClient Plex { get; }

    public ScenePlanner Planner { get; }

    public void Dispose() => sections.Dispose();
}
