using PlexSync.Clients;
using PlexSync.Clients.Protection;
using PlexSync.Domain;
using PlexSync.Workflows;

namespace PlexSync.Configuration;

/// <summary>Turns a validated configuration into the option types the rest of PlexSync takes.</summary>
internal static class ConfigConversions
{
    public static StashClientOptions ToStashClientOptions(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new StashClientOptions
        {
            Url = new Uri(config.Stash.Url),
            ApiKey = config.Stash.ApiKey.Reveal(),
            Timeout = config.Stash.Timeout,
        };
    }

    public static PlexClientOptions ToPlexClientOptions(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PlexClientOptions
        {
            Url = new Uri(config.Plex.Url),
            Token = config.Plex.Token.Reveal(),
            Timeout = config.Plex.Timeout,
            ClientId = config.PlexClientId(),
        };
    }

    /// <summary>
    /// The X-Plex-Client-Identifier: plex.client_identifier, else derived from what makes an installation:
    /// its Plex, and the Temporal namespace and task queue its workflows live on. Every worker of it sends
    /// the same one, across restarts and containers, with no file to keep; another installation's differs.
    /// </summary>
    public static string PlexClientId(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var t = config.Temporal;
        return config.Plex.ClientIdentifier.Trim() is { Length: > 0 } set
            ? set
            : PlexIdentity.DeriveClientId(config.Plex.Url.TrimEnd('/'), t.Address, t.Namespace, t.TaskQueue);
    }

    /// <summary>A worker's own limits towards Plex.</summary>
    public static PlexProtectionOptions ToPlexProtectionOptions(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PlexProtectionOptions
        {
            RequestsPerSecond = config.Plex.RequestsPerSecond,
            BreakerFailures = config.Plex.BreakerFailures,
            BreakerCooldown = config.Plex.BreakerCooldown,
        };
    }

    /// <summary>What the sync activities need besides their clients: no credentials.</summary>
    public static SyncSettings ToSyncSettings(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SyncSettings
        {
            Sections = [.. config.Plex.Sections],
            Mappings = config.ToPathMappings(),
            Scene = config.ToSceneOptions(),
            Tuning = config.ToRetryTuning(),
            Plays = config.ToPlaysSettings(),
        };
    }

    public static RetryTuning ToRetryTuning(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var r = config.Retry;
        return new RetryTuning
        {
            TransientInitial = r.TransientInitial,
            TransientMax = r.TransientMax,
            TransientFor = r.TransientFor,
            NotInPlexInitial = r.NotInPlexInitial,
            NotInPlexMax = r.NotInPlexMax,
            NotInPlexFor = r.NotInPlexFor,
            ActivityTimeout = r.ActivityTimeout,
        };
    }

    /// <summary>The options that shape a scene's desired state.</summary>
    public static SceneOptions ToSceneOptions(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var f = config.Fields;
        return new SceneOptions
        {
            Fields = new SyncFields
            {
                Title = f.Title,
                Summary = f.Summary,
                Studio = f.Studio,
                Date = f.Date,
                Performers = f.Performers,
                Tags = f.Tags,
                Collections = f.Collections,
                Rating = f.Rating,
                Poster = f.Poster,
            },
            CollectionSources = [.. config.CollectionSources],
        };
    }

    public static PathMappings ToPathMappings(this PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new PathMappings(config.PathMappings.Select(m => new PathMapping(m.From, m.To)));
    }
}
