namespace PlexSync.Configuration;

/// <summary>
/// The whole configuration, shaped like the YAML file (keys are the snake_case of the property names).
/// A new instance holds the defaults; the loader applies the file, then the environment, on top.
/// </summary>
public sealed class PlexSyncConfig
{
    public StashConfig Stash { get; set; } = new();

    public PlexConfig Plex { get; set; } = new();

    /// <summary>Gets or sets the Stash path prefixes and what Plex sees instead, tried in order.</summary>
    public List<PathMappingConfig> PathMappings { get; set; } = [];

    public FieldsConfig Fields { get; set; } = new();

    /// <summary>Gets or sets where Plex collections come from: "studio" and/or "groups".</summary>
    public List<string> CollectionSources { get; set; } = ["studio"];

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

public sealed class StashConfig
{
    public string Url { get; set; } = "http://localhost:9999";

    public Secret ApiKey { get; set; }

    /// <summary>Gets or sets a file holding the API key (Docker secrets); it wins over <see cref="ApiKey"/>.</summary>
    public string ApiKeyFile { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class PlexConfig
{
    public string Url { get; set; } = "http://localhost:32400";

    public Secret Token { get; set; }

    /// <summary>Gets or sets a file holding the token (Docker secrets); it wins over <see cref="Token"/>.</summary>
    public string TokenFile { get; set; } = "";

    /// <summary>Gets or sets the library section names that hold the Stash files.</summary>
    public List<string> Sections { get; set; } = ["Movies"];

    /// <summary>
    /// Gets or sets the X-Plex-Client-Identifier by which Plex lists this installation among its devices;
    /// empty derives a stable one from plex.url and the Temporal namespace and task queue.
    /// </summary>
    public string ClientIdentifier { get; set; } = "";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the cap on Plex-bound activities across all workers (server-enforced).</summary>
    public double ActivitiesPerSecond { get; set; } = 50;

    /// <summary>Gets or sets the cap on each worker's own Plex requests.</summary>
    public double RequestsPerSecond { get; set; } = 50;

    /// <summary>Gets or sets how many transient failures in a row open the circuit breaker.</summary>
    public int BreakerFailures { get; set; } = 5;

    /// <summary>Gets or sets how long an open breaker sends nothing.</summary>
    public TimeSpan BreakerCooldown { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One Stash path prefix and the prefix Plex sees for the same files.</summary>
public sealed class PathMappingConfig
{
    public string From { get; set; } = "";

    public string To { get; set; } = "";
}

/// <summary>Which fields PlexSync manages; a field switched off is never written. All are on by default.</summary>
public sealed class FieldsConfig
{
    public bool Title { get; set; } = true;

    public bool Summary { get; set; } = true;

    public bool Studio { get; set; } = true;

    public bool Date { get; set; } = true;

    public bool Performers { get; set; } = true;

    public bool Tags { get; set; } = true;

    public bool Collections { get; set; } = true;

    public bool Rating { get; set; } = true;

    public bool Poster { get; set; } = true;
}

public sealed class TemporalConfig
{
    public string Address { get; set; } = "127.0.0.1:7233";

    public string Namespace { get; set; } = "default";

    public string TaskQueue { get; set; } = "plexsync";
}

/// <summary>Tunes the retry policy table; the defaults suit a home server, the tests shorten them.</summary>
public sealed class RetryConfig
{
    public TimeSpan TransientInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan TransientMax { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan TransientFor { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan NotInPlexInitial { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan NotInPlexMax { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan NotInPlexFor { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Gets or sets one attempt's limit; a crashed worker's work is retried after it.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Tunes bulk reconciliation.</summary>
public sealed class ReconcileConfig
{
    /// <summary>Gets or sets how many scenes are read from Stash per page.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// Gets or sets how many scene syncs run at once. Many in flight let the Temporal server batch a
    /// reconciliation's work; Plex's load is bounded by the Plex caps, not by this.
    /// </summary>
    public int Concurrency { get; set; } = 64;

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
public sealed class EncryptionConfig
{
    public Secret Keys { get; set; }

    public string KeysFile { get; set; } = "";
}

public sealed class LogConfig
{
    /// <summary>Gets or sets "text" or "json".</summary>
    public string Format { get; set; } = "text";

    /// <summary>Gets or sets debug, info, warn or error.</summary>
    public string Level { get; set; } = "info";
}

/// <summary>The worker's metrics and health endpoint; off unless <see cref="Listen"/> is set.</summary>
public sealed class MetricsConfig
{
    /// <summary>Gets or sets "host:port" the worker serves /metrics, /healthz and /readyz on ("127.0.0.1:9464"; ":9464" for every interface), or "" for none.</summary>
    public string Listen { get; set; } = "";
}
