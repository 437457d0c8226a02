namespace PlexSync.Configuration;

/// <summary>
/// Loads PlexSync's configuration: one YAML file, then PLEXSYNC_* environment overrides, then secrets
/// from *_file paths, then validation that names the key at fault.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>The file read from the working directory when neither --config nor PLEXSYNC_CONFIG names one.</summary>
    public const string DefaultFileName = "plexsync.yaml";

    /// <summary>
    /// Reads the file at <paramref name="path"/> (none when null or empty), applies the environment and
    /// validates. <paramref name="needPlex"/> is false for commands that never talk to Plex (the Stash
    /// hook), which then need no Plex token.
    /// </summary>
    /// <exception cref="ConfigException">The file cannot be read or a key is wrong; the message names it.</exception>
    public static PlexSyncConfig Load(string? path, Func<string, string?> env, bool needPlex)
    {
        ArgumentNullException.ThrowIfNull(env);
        var config = string.IsNullOrEmpty(path) ? new PlexSyncConfig() : ConfigYaml.Parse(ReadFile(path), path);
        ApplyEnv(config, env);
        ReadSecretFiles(config);
        ConfigValidator.Validate(config, needPlex);

        // Bad keys stop every command at start, the hook included, instead of failing its first connect.
        PayloadEncryption.CreateCodec(config.Encryption);
        return config;
    }

    /// <summary>The config file to read: the --config flag, else PLEXSYNC_CONFIG, else ./plexsync.yaml if present, else none.</summary>
    public static string? ResolvePath(string? flag, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!string.IsNullOrEmpty(flag))
        {
            return flag;
        }

        var fromEnv = env("PLEXSYNC_CONFIG");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        return File.Exists(DefaultFileName) ? DefaultFileName : null;
    }

    /// <summary>Overrides keys from PLEXSYNC_* variables; an unset or empty variable changes nothing.</summary>
    public static void ApplyEnv(PlexSyncConfig config, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(env);
        void Set(string name, Action<string> apply)
        {
            var value = env(name);
            if (!string.IsNullOrEmpty(value))
            {
                apply(value);
            }
        }

        Set("PLEXSYNC_STASH_URL", v => config.Stash.Url = v);
        Set("PLEXSYNC_STASH_API_KEY_FILE", v => config.Stash.ApiKeyFile = v);
        Set("PLEXSYNC_PLEX_URL", v => config.Plex.Url = v);
        Set("PLEXSYNC_PLEX_TOKEN_FILE", v => config.Plex.TokenFile = v);
        Set("PLEXSYNC_PLEX_CLIENT_IDENTIFIER", v => config.Plex.ClientIdentifier = v);
        Set("PLEXSYNC_TEMPORAL_ADDRESS", v => config.Temporal.Address = v);
        Set("PLEXSYNC_TEMPORAL_NAMESPACE", v => config.Temporal.Namespace = v);
        Set("PLEXSYNC_TASK_QUEUE", v => config.Temporal.TaskQueue = v);
        Set("PLEXSYNC_LOG_FORMAT", v => config.Log.Format = v);
        Set("PLEXSYNC_LOG_LEVEL", v => config.Log.Level = v);
        Set("PLEXSYNC_SPOOL_PATH", v => config.SpoolPath = v);
        Set("PLEXSYNC_RECONCILE_SCHEDULE", v => config.Reconcile.Schedule = v);
        Set("PLEXSYNC_PLAYS_EVERY", v => config.Plays.Every = v);
        Set("PLEXSYNC_METRICS_LISTEN", v => config.Metrics.Listen = v);
        Set("PLEXSYNC_ENCRYPTION_KEYS_FILE", v => config.Encryption.KeysFile = v);
        Set("PLEXSYNC_STASH_API_KEY", v => config.Stash.ApiKey = new Secret(v));
        Set("PLEXSYNC_PLEX_TOKEN", v => config.Plex.Token = new Secret(v));
        Set("PLEXSYNC_ENCRYPTION_KEYS", v => config.Encryption.Keys = new Secret(v));
        Set("PLEXSYNC_PLEX_SECTIONS", v => config.Plex.Sections = SplitList(v));
    }

    /// <summary>Fills secrets from stash.api_key_file and plex.token_file, trimmed, as Docker secrets work.</summary>
    public static void ReadSecretFiles(PlexSyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Stash.ApiKeyFile.Length > 0)
        {
            config.Stash.ApiKey = ReadSecret("stash.api_key_file", config.Stash.ApiKeyFile);
        }

        if (config.Plex.TokenFile.Length > 0)
        {
            config.Plex.Token = ReadSecret("plex.token_file", config.Plex.TokenFile);
        }
    }

    private static List<string> SplitList(string value) =>
        [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigException($"config: cannot read {path}: {e.Message}", e);
        }
    }

    private static Secret ReadSecret(string key, string path)
    {
        try
        {
            return new Secret(File.ReadAllText(path).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            // The exception's own message names only the path, never the content.
            throw new ConfigException($"config: {key}: cannot read {path}: {e.Message}", e);
        }
    }
}
