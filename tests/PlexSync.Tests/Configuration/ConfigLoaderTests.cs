using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void LoadFileEnvAndSecretFile()
    {
        var tokenFile = files.Write("token", "  file-token-123\n");
        var path = files.Write("c.yaml", $"""
            stash:
              url: http://stash:9999
              api_key: from-file
            plex:
              url: http://plex:32400
              token_file: {tokenFile}
              sections: [Movies, Clips]
              timeout: 5s
            path_mappings:
              - {"{"}from: /data, to: /media{"}"}
            fields:
              rating: false
            collection_sources: [studio, groups]
            retry:
              not_in_plex_initial: 1s
              not_in_plex_max: 2s
            """);

        var c = ConfigLoader.Load(path, Env.Of(("PLEXSYNC_STASH_API_KEY", "from-env"), ("PLEXSYNC_TASK_QUEUE", "q2")), needPlex: true);

        Assert.Equal("from-env", c.Stash.ApiKey.Reveal());
        Assert.Equal("file-token-123", c.Plex.Token.Reveal());
        Assert.Equal("q2", c.Temporal.TaskQueue);
        Assert.Equal(TimeSpan.FromSeconds(5), c.Plex.Timeout);
        Assert.Equal(["Movies", "Clips"], c.Plex.Sections);
        Assert.Equal("/media", c.PathMappings[0].To);
        Assert.False(c.Fields.Rating);
        Assert.True(c.Fields.Title); // the rest stay on by default
        Assert.Equal(TimeSpan.FromSeconds(2), c.Retry.NotInPlexMax);
        Assert.Equal(TimeSpan.FromMinutes(5), c.Retry.TransientMax);
    }

    [Theory]
    [InlineData("plex: {url: 'not a url', token: t}", "plex.url")]
    [InlineData("plex: {token: ''}", "plex.token")]
    [InlineData("plex: {token: t, sections: []}", "plex.sections")]
    [InlineData("stash: {url: 'ftp://x'}\nplex: {token: t}", "stash.url")]
    [InlineData("stash: {url: 'http://u:pw@x'}\nplex: {token: t}", "stash.url")]
    [InlineData("plex: {token: t, url: 'http://x?X-Plex-Token=abc'}", "plex.url")]
    [InlineData("plex: {token: t}\nretry: {transient_initial: 10m, transient_max: 1m}", "retry.transient_max")]
    [InlineData("plex: {token: t}\npath_mappings: [{from: /a}]", "path_mappings[0]")]
    [InlineData("plex: {token: t}\ncollection_sources: [tags]", "collection_sources")]
    [InlineData("plex: {token: t}\nlog: {format: xml}", "log.format")]
    [InlineData("plex: {token: t, timeout: soon}", "not a duration")]
    [InlineData("plex: {token: t}\nstahs: {url: x}", "stahs")]
    [InlineData("plex: {token: t}\nlog: {level: loud}", "log.level")]
    [InlineData("plex: {token: t}\nreconcile: {page_size: 0}", "reconcile.page_size")]
    [InlineData("plex: {token: t}\nreconcile: {concurrency: 101}", "reconcile.concurrency")]
    [InlineData("plex: {token: t, breaker_failures: 0}", "plex.breaker_failures")]
    [InlineData("plex: {token: t, breaker_failures: 1}", "plex.breaker_failures")]
    [InlineData("plex: {token: t, requests_per_second: 0}", "plex.activities_per_second")]
    [InlineData("plex: {token: t}\nretry: {activity_timeout: 0s}", "retry.activity_timeout")]
    [InlineData("plex: {token: t}\ntemporal: {task_queue: ''}", "temporal")]
    [InlineData("plex: {token: t}\nspool_path: ''", "spool_path")]
    [InlineData("plex: {token: t}\nmetrics: {listen: '9464'}", "metrics.listen")]
    [InlineData("plex: {token: t}\nmetrics: {listen: 'host:99999'}", "metrics.listen")]
    [InlineData("plex: {token: t}\nmetrics: {listen: 'a b:9464'}", "metrics.listen")]
    public void ValidationNamesTheKey(string yaml, string key)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(files.Write("c.yaml", yaml), Env.None, needPlex: true));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HookNeedsNoPlexToken()
    {
        ConfigLoader.Load(null, Env.None, needPlex: false);
        Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, Env.None, needPlex: true));
        Assert.Throws<ConfigException>(() => ConfigLoader.Load(files.PathOf("missing.yaml"), Env.None, needPlex: false));
    }

    // YAML's message quotes what it stumbled on: here a URL with a password, read as an alias.
    [Fact]
    public void AYamlErrorQuotingAUrl_HidesItsPassword()
    {
        var path = files.Write("alias.yaml", "plex:\n  url: *http://user:pw-secret-7f3@localhost:32400\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, Env.None, needPlex: false));
        Assert.Contains("plex.url (line 2)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-secret-7f3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("debug+1")]
    [InlineData("verbose")]
    public void ALogLevelTheLoggerDoesNotKnow_IsRefused(string level)
    {
        var path = files.Write($"level-{level}.yaml", $"log:\n  level: \"{level}\"\n");
        Assert.Contains("log.level", Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, Env.None, needPlex: false)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfigWithoutAPlexToken_FailsToLoadNamingTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, Env.None, needPlex: true));

        Assert.Contains("config: plex.token: is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadEncryptionKeys_StopLoadingNamingTheKeyWithoutEchoingIt()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(null, Env.Of(("PLEXSYNC_ENCRYPTION_KEYS", "k1=not-base64-secret")), needPlex: false));
        Assert.Contains("encryption.keys", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-base64-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRepositoryExampleFileLoads()
    {
        // The file users copy; it documents every key, so it must load as it is.
        var path = Path.Combine(AppContext.BaseDirectory, "repo", "plexsync.example.yaml");
        var c = ConfigLoader.Load(path, Env.Of(("PLEXSYNC_PLEX_TOKEN", "t")), needPlex: true);

        Assert.Equal("/media/videos", Assert.Single(c.PathMappings).To);
        Assert.Equal(64, c.Reconcile.Concurrency);
    }

    [Fact]
    public void TheFirstPublishedExampleFileLoads()
    {
        var c = ConfigLoader.Load(files.Write("plexsync.yaml", ExampleConfig.Yaml), Env.Of(("PLEXSYNC_PLEX_TOKEN", "t")), needPlex: true);

        Assert.Equal("http://localhost:9999", c.Stash.Url);
        Assert.True(c.Stash.ApiKey.IsEmpty);
        Assert.Equal(["Movies"], c.Plex.Sections);
        Assert.Equal(5, c.Plex.BreakerFailures);
        Assert.Equal(50, c.Plex.ActivitiesPerSecond);
        Assert.Equal("/media/videos", Assert.Single(c.PathMappings).To);
        Assert.Equal(TimeSpan.FromHours(24), c.Retry.TransientFor);
        Assert.Equal(64, c.Reconcile.Concurrency);
        Assert.Equal("info", c.Log.Level);
    }

    [Fact]
    public void AnEmptyFileGivesTheDefaults()
    {
        var c = ConfigLoader.Load(files.Write("c.yaml", "# nothing yet\n"), Env.None, needPlex: false);

        Assert.Equal("127.0.0.1:7233", c.Temporal.Address);
        Assert.Equal(TimeSpan.FromSeconds(30), c.Plex.BreakerCooldown);
        Assert.Equal(["studio"], c.CollectionSources);
        Assert.EndsWith("spool.jsonl", c.SpoolPath, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyWithNoValueKeepsItsDefaultAsInGo()
    {
        var c = ConfigLoader.Load(files.Write("c.yaml", "stash:\n  url:\n  timeout: ~\nencryption:\nspool_path:\n"), Env.None, needPlex: false);

        Assert.Equal("http://localhost:9999", c.Stash.Url);
        Assert.Equal(TimeSpan.FromSeconds(30), c.Stash.Timeout);
        Assert.NotEmpty(c.SpoolPath);
    }

    [Fact]
    public void AnUnknownKeyIsNamedWithItsLine()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(files.Write("c.yaml", "stash:\n  url: http://x\nplex:\n  tokn: abc\n"), Env.None, needPlex: false));

        Assert.Contains("plex.tokn", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadDurationNamesTheKeyTheLineAndAnExample()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(files.Write("c.yaml", "retry:\n  transient_max: 5 minutes\n"), Env.None, needPlex: false));

        Assert.Contains("retry.transient_max (line 2)", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"5 minutes\" is not a duration (like 30s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryEnvironmentVariableOverrides()
    {
        var keyFile = files.Write("key", "stash-key-from-file\n");
        const string Keys = "k1=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        var keysFile = files.Write("keys", Keys + "\n");
        var c = ConfigLoader.Load(null, Env.Of(
            ("PLEXSYNC_STASH_URL", "http://stash:1"),
            ("PLEXSYNC_STASH_API_KEY_FILE", keyFile),
            ("PLEXSYNC_STASH_API_KEY", "ignored-when-a-file-is-given"),
            ("PLEXSYNC_PLEX_URL", "http://plex:2"),
            ("PLEXSYNC_PLEX_TOKEN", "tok"),
            ("PLEXSYNC_PLEX_SECTIONS", " Movies , Clips,,"),
            ("PLEXSYNC_TEMPORAL_ADDRESS", "temporal:7233"),
            ("PLEXSYNC_TEMPORAL_NAMESPACE", "ns"),
            ("PLEXSYNC_TASK_QUEUE", "q"),
            ("PLEXSYNC_LOG_FORMAT", "json"),
            ("PLEXSYNC_LOG_LEVEL", "debug"),
            ("PLEXSYNC_SPOOL_PATH", "/tmp/spool.jsonl"),
            ("PLEXSYNC_METRICS_LISTEN", "127.0.0.1:9464"),
            ("PLEXSYNC_ENCRYPTION_KEYS", Keys),
            ("PLEXSYNC_ENCRYPTION_KEYS_FILE", keysFile)), needPlex: true);

        Assert.Equal("http://stash:1", c.Stash.Url);
        Assert.Equal("stash-key-from-file", c.Stash.ApiKey.Reveal()); // the _FILE variable wins over the value
        Assert.Equal("http://plex:2", c.Plex.Url);
        Assert.Equal("tok", c.Plex.Token.Reveal());
        Assert.Equal(["Movies", "Clips"], c.Plex.Sections);
        Assert.Equal(("temporal:7233", "ns", "q"), (c.Temporal.Address, c.Temporal.Namespace, c.Temporal.TaskQueue));
        Assert.Equal(("json", "debug"), (c.Log.Format, c.Log.Level));
        Assert.Equal("/tmp/spool.jsonl", c.SpoolPath);
        Assert.Equal("127.0.0.1:9464", c.Metrics.Listen);
        Assert.Equal(Keys, c.Encryption.Keys.Reveal());
        Assert.Equal(keysFile, c.Encryption.KeysFile);
    }

    [Fact]
    public void AnEmptyVariableChangesNothing()
    {
        var c = ConfigLoader.Load(files.Write("c.yaml", "temporal: {task_queue: fromfile}"), Env.Of(("PLEXSYNC_TASK_QUEUE", "")), needPlex: false);

        Assert.Equal("fromfile", c.Temporal.TaskQueue);
    }

    [Fact]
    public void AnUnreadableSecretFileNamesTheKeyAndPath()
    {
        var missing = files.PathOf("no-such-token");

        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(null, Env.Of(("PLEXSYNC_PLEX_TOKEN_FILE", missing)), needPlex: true));

        Assert.StartsWith("config: plex.token_file: cannot read " + missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretsNeverReachAnErrorMessage()
    {
        var token = files.Write("token", "sup3r-s3cret\n");
        var yaml = $"stash: {{url: 'http://x?apikey=sup3r-s3cret', api_key: sup3r-s3cret}}\nplex: {{token_file: {token}}}";

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(files.Write("c.yaml", yaml), Env.None, needPlex: true));

        Assert.Contains("stash.url", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sup3r-s3cret", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvePathPrefersTheFlagThenTheEnvironment()
    {
        var env = Env.Of(("PLEXSYNC_CONFIG", "/etc/plexsync.yaml"));

        Assert.Equal("/flag.yaml", ConfigLoader.ResolvePath("/flag.yaml", env));
        Assert.Equal("/etc/plexsync.yaml", ConfigLoader.ResolvePath(null, env));
        Assert.Equal(File.Exists("plexsync.yaml") ? "plexsync.yaml" : null, ConfigLoader.ResolvePath("", Env.Of(("PLEXSYNC_CONFIG", ""))));
    }

    [Fact]
    public void ADuplicateKeyIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(files.Write("c.yaml", "log: {level: info}\nlog: {level: debug}\n"), Env.None, needPlex: false));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }
}
