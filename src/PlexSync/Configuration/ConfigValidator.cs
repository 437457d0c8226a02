using System.Text.RegularExpressions;
using PlexSync.Clients;
using PlexSync.Clients.Protection;
using PlexSync.Domain;

namespace PlexSync.Configuration;

/// <summary>Checks every key and names the first one that is wrong, as "config: key: what to do".</summary>
internal static partial class ConfigValidator
{
    /// <summary>Throws <see cref="ConfigException"/> naming the first wrong key.</summary>
    public static void Validate(PlexSyncConfig config, bool needPlex)
    {
        var problem = Check(config, needPlex);
        if (problem is not null)
        {
            throw new ConfigException(problem);
        }
    }

    /// <summary>Returns the first problem as "config: key: ...", or null when the configuration is usable.</summary>
    public static string? Check(PlexSyncConfig config, bool needPlex)
    {
        ArgumentNullException.ThrowIfNull(config);
        return CheckUrl("stash.url", config.Stash.Url)
            ?? (needPlex ? CheckPlex(config.Plex) : null)
            ?? CheckDurations(config)
            ?? CheckMappings(config.PathMappings)
            ?? CheckRest(config)
            ?? PlaysSetting.Check(config.Plays);
    }

    private static string Bad(string key, string what) => $"config: {key}: {what}";

    private static string? CheckPlex(PlexConfig plex) =>
        CheckUrl("plex.url", plex.Url)
        ?? (plex.Token.IsEmpty
            ? Bad("plex.token", "is required; set it, plex.token_file or PLEXSYNC_PLEX_TOKEN (see https://support.plex.tv/articles/204059436)")
            : null)
        ?? (plex.Sections.Count == 0 ? Bad("plex.sections", "list at least one library section name, e.g. [Movies]") : null)
        ?? (plex.ActivitiesPerSecond <= 0 || plex.RequestsPerSecond <= 0
            ? Bad("plex.activities_per_second", "and plex.requests_per_second must be positive")
            : null)
        ?? (plex.BreakerFailures < PlexProtectionOptions.MinimumBreakerFailures || plex.BreakerCooldown <= TimeSpan.Zero
            ? Bad("plex.breaker_failures", $"must be at least {PlexProtectionOptions.MinimumBreakerFailures}, and plex.breaker_cooldown positive")
            : null)
        ?? (plex.ClientIdentifier.Any(c => c is < ' ' or > '~')
            ? Bad("plex.client_identifier", "must be printable ASCII (it travels in an HTTP header); leave it empty to derive one")
            : null);

    private static string? CheckDurations(PlexSyncConfig c)
    {
        (string Key, TimeSpan Value)[] durations =
        [
            ("stash.timeout", c.Stash.Timeout), ("plex.timeout", c.Plex.Timeout),
            ("retry.transient_initial", c.Retry.TransientInitial), ("retry.transient_max", c.Retry.TransientMax),
            ("retry.transient_for", c.Retry.TransientFor), ("retry.not_in_plex_initial", c.Retry.NotInPlexInitial),
            ("retry.not_in_plex_max", c.Retry.NotInPlexMax), ("retry.not_in_plex_for", c.Retry.NotInPlexFor),
            ("retry.activity_timeout", c.Retry.ActivityTimeout),
        ];
        foreach (var (key, value) in durations)
        {
            if (value <= TimeSpan.Zero)
            {
                return Bad(key, $"must be a positive duration ({GoDuration.Examples})");
            }
        }

        if (c.Retry.TransientMax < c.Retry.TransientInitial)
        {
            return Bad("retry.transient_max", "must not be less than retry.transient_initial");
        }

        return c.Retry.NotInPlexMax < c.Retry.NotInPlexInitial
            ? Bad("retry.not_in_plex_max", "must not be less than retry.not_in_plex_initial")
            : null;
    }

    private static string? CheckMappings(List<PathMappingConfig> mappings)
    {
        var problem = new PathMappings(mappings.Select(m => new PathMapping(m.From, m.To))).Validate();
        return problem is null ? null : "config: " + problem;
    }

    private static string? CheckRest(PlexSyncConfig c)
    {
        var source = c.CollectionSources.FirstOrDefault(s => !SceneOptions.CollectionSourceNames.Contains(s));
        if (source is not null)
        {
            return Bad("collection_sources", $"\"{source}\" is not one of studio, groups");
        }

        if (c.Reconcile.PageSize is < 1 or > 1000)
        {
            return Bad("reconcile.page_size", "must be between 1 and 1000");
        }

        if (c.Reconcile.Concurrency is < 1 or > 100)
        {
            return Bad("reconcile.concurrency", "must be between 1 and 100");
        }

        var schedule = ScheduleSetting.TryParseConfig(c.Reconcile.Schedule, out _);
        if (schedule is not null)
        {
            return Bad("reconcile.schedule", schedule);
        }

        if (string.IsNullOrEmpty(c.SpoolPath))
        {
            return Bad("spool_path", "must not be empty");
        }

        if (string.IsNullOrEmpty(c.Temporal.Address) || string.IsNullOrEmpty(c.Temporal.Namespace) || string.IsNullOrEmpty(c.Temporal.TaskQueue))
        {
            return Bad("temporal", "address, namespace and task_queue must not be empty");
        }

        if (c.Metrics.Listen.Length > 0 && ListenAddress.TryParse(c.Metrics.Listen, out _) is { } listen)
        {
            return Bad("metrics.listen", listen);
        }

        if (c.Log.Format is not ("text" or "json"))
        {
            return Bad("log.format", $"\"{c.Log.Format}\" is not text or json");
        }

        return LogLevel().IsMatch(c.Log.Level ?? "") ? null : Bad("log.level", $"\"{c.Log.Level}\" is not debug, info, warn or error");
    }

    // Credentials belong in the api_key / token keys, which are redacted; a URL is logged as it is.
    private static string? CheckUrl(string key, string raw)
    {
        var ok = Uri.TryCreate(raw, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0;
        if (!ok)
        {
            return Bad(key, $"\"{Redaction.Redact(raw)}\" is not an http(s) URL with a host, like http://192.168.1.10:32400");
        }

        return uri!.UserInfo.Length > 0 || Redaction.Redact(raw) != raw
            ? Bad(key, "must not carry a user, password, token or key; use the api_key / token keys instead")
            : null;
    }

    // A level name in any case: the four levels the logger knows.
    [GeneratedRegex(@"^(?i:debug|info|warn|error)$")]
    private static partial Regex LogLevel();
}
