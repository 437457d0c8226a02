using PlexSync.Clients;
using PlexSync.Clients.Protection;
using PlexSync.Domain;
using PlexSync.Workflows;

namespace PlexSync.Configuration;

/// <summary>
/// The whole configuration, shaped like the YAML file (keys are the snake_case of the property names).
/// A new instance holds the defaults; the loader applies the file, then the environment, on top. A key
/// that the runtime records also carry takes its default from them: each default is written once.
/// </summary>
internal sealed class PlexSyncConfig
{
    public StashConfig Stash { get; set; } = new();

    public PlexConfig Plex { get; set; } = new();

    /// <summary>Gets or sets the Stash path prefixes and what Plex sees instead, tried in order.</summary>
    public List<PathMappingConfig> PathMappings { get; set; } = [];

    public FieldsConfig Fields { get; set; } = new();

    /// <summary>Gets or sets where Plex collections come from: "studio" and/or "groups".</summary>
    public List<string> CollectionSources { get; set; } = [.. new SceneOptions().CollectionSources];

    public TemporalConfig Temporal { get; set; } = new();

    public RetryConfig Retry { get; set; } = new();

    public ReconcileConfig Reconcile { get; set; } = new();

    public PlaysConfig Plays { get; set; } = new();

    public EncryptionConfig Encryption { get; set; } = new();

    /// <summary>Gets or sets where the hook keeps events while Temporal cannot be reached.</summary>
    public string SpoolPath { get; set; } = SpoolDefaults.DefaultPath();

    public LogConfig Log { get; set; } = new();

    public MetricsConfig Metrics { get; set; } = new();
}

internal sealed class StashConfig
{
    public string Url { get; set; } = "http://localhost:9999";

    public Secret ApiKey { get; set; }

    /// <summary>Gets or sets a file holding the API key (Docker secrets); it wins over <see cref="ApiKey"/>.</summary>
    public string ApiKeyFile { get; set; } = "";

    public TimeSpan Timeout { get; set; } = StashClientOptions.DefaultTimeout;
}

internal sealed class PlexConfig
{
    public string Url { get; set; } = "http://localhost:32400";

    public Secret Token { get; set; }

    /// <summary>Gets or sets a file holding the token (Docker secrets); it wins over <see cref="Token"/>.</summary>
    public string TokenFile { get; set; } = "";

    /// <summary>Gets or sets the library section names that hold the Stash files.</summary>
    public List<string> Sections { get; set; } = [.. new SyncSettings().Sections];

    /// <summary>
    /// Gets or sets the X-Plex-Client-Identifier by which Plex lists this installation among its devices;
    /// empty derives a stable one from plex.url and the Temporal namespace and task queue.
    /// </summary>
    public string ClientIdentifier { get; set; } = "";

    public TimeSpan Timeout { get; set; } = PlexClientOptions.DefaultTimeout;

    /// <summary>Gets or sets the cap on Plex-bound activities across all workers (server-enforced).</summary>
    public double ActivitiesPerSecond { get; set; } = 50;

    /// <summary>Gets or sets the cap on each worker's own Plex requests.</summary>
    public double RequestsPerSecond { get; set; } = Protection.RequestsPerSecond;

    /// <summary>Gets or sets how many transient failures in a row open the circuit breaker.</summary>
    public int BreakerFailures { get; set; } = Protection.BreakerFailures;

    /// <summary>Gets or sets how long an open breaker sends nothing.</summary>
    public TimeSpan BreakerCooldown { get; set; } = Protection.BreakerCooldown;

    private static PlexProtectionOptions Protection { get; } = new();
}

/// <summary>One Stash path prefix and the prefix Plex sees for the same files.</summary>
internal sealed class PathMappingConfig
{
    public string From { get; set; } = "";

    public string To { get; set; } = "";
}

/// <summary>Which fields PlexSync manages; a field switched off is never written. The defaults are <see cref="SyncFields"/>'s.</summary>
internal sealed class FieldsConfig
{
    public bool Title { get; set; } = Defaults.Title;

    public bool Summary { get; set; } = Defaults.Summary;

    public bool Studio { get; set; } = Defaults.Studio;

    public bool Date { get; set; } = Defaults.Date;

    public bool Performers { get; set; } = Defaults.Performers;

    public bool Tags { get; set; } = Defaults.Tags;

    public bool Collections { get; set; } = Defaults.Collections;

    public bool Rating { get; set; } = Defaults.Rating;

    public bool Poster { get; set; } = Defaults.Poster;

    private static SyncFields Defaults { get; } = new();
}

internal sealed class TemporalConfig
{
    public string Address { get; set; } = "127.0.0.1:7233";

    public string Namespace { get; set; } = "default";

    public string TaskQueue { get; set; } = "plexsync";
}

/// <summary>Tunes the retry policy table; the defaults (<see cref="RetryTuning"/>'s) suit a home server, the tests shorten them.</summary>
internal sealed class RetryConfig
{
    public TimeSpan TransientInitial { get; set; } = Defaults.TransientInitial;

    public TimeSpan TransientMax { get; set; } = Defaults.TransientMax;

    public TimeSpan TransientFor { get; set; } = Defaults.TransientFor;

    public TimeSpan NotInPlexInitial { get; set; } = Defaults.NotInPlexInitial;

    public TimeSpan NotInPlexMax { get; set; } = Defaults.NotInPlexMax;

    public TimeSpan NotInPlexFor { get; set; } = Defaults.NotInPlexFor;

    /// <summary>Gets or sets one attempt's limit; a crashed worker's work is retried after it.</summary>
    public TimeSpan ActivityTimeout { get; set; } = Defaults.ActivityTimeout;

    private static RetryTuning Defaults { get; } = new();
}

/// <summary>Tunes bulk reconciliation.</summary>
internal sealed class ReconcileConfig
{
    /// <summary>Gets or sets how many scenes are read from Stash per page.</summary>
    public int PageSize { get; set; } = ReconcileInput.DefaultPageSize;

    /// <summary>
    /// Gets or sets how many scene syncs run at once. Many in flight let the Temporal server batch a
    /// reconciliation's work; Plex's load is bounded by the Plex caps, not by this.
    /// </summary>
    public int Concurrency { get; set; } = ReconcileInput.DefaultConcurrency;

    /// <summary>
    /// Gets or sets the interval of the reconciliation schedule that `worker` and `dev` create at start-up
    /// when the Temporal namespace has none ("6h"), or "off" to create none. An existing schedule, set or
    /// changed with `plexsync schedule set`, is never touched.
    /// </summary>
    public string Schedule { get; set; } = ScheduleSetting.Default;
}

/// <summary>
/// Encryption of Temporal payloads: "ID=BASE64" entries (32-byte keys), comma or newline separated;
/// the first encrypts, all decrypt. <see cref="KeysFile"/> is read by the codec, not here.
/// </summary>
internal sealed class EncryptionConfig
{
    public Secret Keys { get; set; }

    public string KeysFile { get; set; } = "";
}

internal sealed class LogConfig
{
    /// <summary>Gets or sets "text" or "json".</summary>
    public string Format { get; set; } = "text";

    /// <summary>Gets or sets debug, info, warn or error.</summary>
    public string Level { get; set; } = "info";
}

/// <summary>The worker's metrics and health endpoint; off unless <see cref="Listen"/> is set.</summary>
internal sealed class MetricsConfig
{
    /// <summary>Gets or sets "host:port" the worker serves /metrics, /healthz and /readyz on ("127.0.0.1:9464"; ":9464" for every interface), or "" for none.</summary>
    public string Listen { get; set; } = "";
}
