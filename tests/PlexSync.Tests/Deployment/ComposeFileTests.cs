using System.Text.RegularExpressions;
using PlexSync.Hosting;
using PlexSync.Workflows;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// docker-compose.yml cannot run here (no Docker engine): this checks its structure (services, pinned images,
/// start order, health checks, secrets, ports), the worker image's user and health check and the search
/// attributes the setup job registers. DockerImageTests has docker-compose validate it.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] Services = ["postgresql", "temporal-schema", "temporal", "temporal-search-attributes", "temporal-ui", "plexsync-worker"];

    private static readonly Lazy<ComposeFile> Compose = new(Load);

    [Fact]
    public void Compose_HasEveryService_AndPinsEveryImageToAVersion()
    {
        Assert.Equal(Services.Order(StringComparer.Ordinal), Compose.Value.Services.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, service) in Compose.Value.Services.Where(s => s.Value.Build is null))
        {
            var tag = service.Image.Contains(':', StringComparison.Ordinal) ? service.Image[(service.Image.LastIndexOf(':') + 1)..] : "";
            Assert.True(tag != "latest" && tag.Any(char.IsAsciiDigit), $"{name}: image \"{service.Image}\" is not pinned to a version");
        }
    }

    // Which runtime image suits the program is DockerImageTests' question: it publishes the program and reads its runtimeconfig.
    [Fact]
    public void Dockerfile_BuildsWithThePinnedSdk_RunsAsANonRootUser()
    {
        var lines = File.ReadAllLines(RepoFile("Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0\.\d+\S* AS build$", stages[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/[a-z-]+:10\.0\.\d+\S*$", stages[1]);

        // The last USER of the final stage is the one the worker runs as.
        var user = lines.Skip(lines.IndexOf(stages[1])).LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(user);
        Assert.DoesNotMatch(@"^USER (root|0)(:|$)", user);
        Assert.Null(Compose.Value.Services["plexsync-worker"].User);
    }

    [Fact]
    public void Compose_EveryLongRunningServiceTheOthersWaitFor_HasAHealthCheck_IncludingTheWorker()
    {
        foreach (var name in new[] { "postgresql", "temporal", "plexsync-worker" })
        {
            var check = Compose.Value.Services[name].Healthcheck;
            Assert.True(check is { Test: ["CMD" or "CMD-SHELL", _, ..] }, $"{name} has no health check");
        }

        // Every condition some service waits for is one the awaited service can reach.
        foreach (var (name, service) in Compose.Value.Services)
        {
            foreach (var (dependency, wait) in service.DependsOn)
            {
                Assert.True(Compose.Value.Services.ContainsKey(dependency), $"{name} depends on an unknown {dependency}");
                Assert.True(
                    wait.Condition switch
                    {
                        "service_healthy" => Compose.Value.Services[dependency].Healthcheck is not null,
                        // A job restarted after it succeeded ("always", "unless-stopped") never completes.
                        "service_completed_successfully" => Compose.Value.Services[dependency].Restart is null or "no" || Compose.Value.Services[dependency].Restart!.StartsWith("on-failure", StringComparison.Ordinal),
                        _ => false,
                    },
                    $"{name} waits for {dependency} to be \"{wait.Condition}\", which it cannot become");
            }
        }
    }

    [Fact]
    public void Compose_StartsInOrder_SchemaThenServerThenSearchAttributesThenWorker()
    {
        var s = Compose.Value.Services;
        Assert.Equal("service_healthy", s["temporal-schema"].DependsOn["postgresql"].Condition);
        Assert.Equal("service_completed_successfully", s["temporal"].DependsOn["temporal-schema"].Condition);
        Assert.Equal("service_healthy", s["temporal-search-attributes"].DependsOn["temporal"].Condition);
        Assert.Equal("service_healthy", s["temporal-ui"].DependsOn["temporal"].Condition);
        Assert.Equal("service_completed_successfully", s["plexsync-worker"].DependsOn["temporal-search-attributes"].Condition);
    }

    [Fact]
    public void WorkerHealthCheck_ReadsTheHeartbeatFileTheImageTellsTheWorkerToWrite()
    {
        var dockerfile = File.ReadAllText(RepoFile("Dockerfile"));
        var path = Assert.Single(HeartbeatEnv().Matches(dockerfile)).Groups["path"].Value;
        Assert.StartsWith("/tmp/", path, StringComparison.Ordinal);
        Assert.Equal(WorkerHeartbeat.FileVariable, HeartbeatEnv().Match(dockerfile).Groups["name"].Value);

        // Younger than a minute, and at least three beats fit into that minute.
        Assert.Equal(["CMD-SHELL", $"find {path} -mmin -1 | grep -q ."], Compose.Value.Services["plexsync-worker"].Healthcheck!.Test);
        Assert.True(WorkerHeartbeat.Interval * 3 < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Compose_SetupJobsRunOurScriptsOnTheOfficialAdminToolsImage()
    {
        foreach (var (name, script) in new[] { ("temporal-schema", "setup-postgres.sh"), ("temporal-search-attributes", "setup-search-attributes.sh") })
        {
            var job = Compose.Value.Services[name];
            Assert.StartsWith("temporalio/admin-tools:", job.Image, StringComparison.Ordinal);
            Assert.Contains("./temporal:/plexsync-temporal:ro", job.Volumes);
            Assert.Equal(["/bin/sh", "/plexsync-temporal/" + script], job.Entrypoint);
            Assert.True(File.Exists(RepoFile("temporal/" + script)), script);
        }

        // The search-attribute job registers what temporal/search-attributes lists.
        Assert.Contains("\"$dir/search-attributes\"", File.ReadAllText(RepoFile("temporal/setup-search-attributes.sh")), StringComparison.Ordinal);
    }

    [Fact]
    public void SearchAttributesFile_ListsExactlyTheAttributesTheWorkflowsSet()
    {
        var listed = File.ReadAllLines(RepoFile("temporal/search-attributes"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('='))
            .Select(p => (Name: p[0], Type: p[1]))
            .Order()
            .ToList();
        var used = SearchAttributes.All
            .Select(k => (k.Name, Type: k.ValueType.ToString()))
            .Order()
            .ToList();
        Assert.Equal(used, listed);
    }

    [Fact]
    public void Compose_SecretsAreFiles_NeverInlineValues()
    {
        Assert.NotEmpty(Compose.Value.Secrets);
        Assert.All(Compose.Value.Secrets, s => Assert.StartsWith("./secrets/", s.Value.File, StringComparison.Ordinal));

        var worker = Compose.Value.Services["plexsync-worker"];
        Assert.Equal(Compose.Value.Secrets.Keys.Order(StringComparer.Ordinal), worker.Secrets.Order(StringComparer.Ordinal));
        foreach (var (name, value) in worker.Environment.Where(e => SecretName().IsMatch(e.Key)))
        {
            Assert.True(name.EndsWith("_FILE", StringComparison.Ordinal), $"worker: secret {name} is set inline; use a secrets file");
            Assert.Contains(worker.Secrets, s => value == "/run/secrets/" + s);
        }

        Assert.Equal("temporal:7233", worker.Environment["PLEXSYNC_TEMPORAL_ADDRESS"]);
    }

    [Fact]
    public void Compose_WorkerServesMetricsOnEveryInterface_AndPublishesThatPortOnLoopback()
    {
        var worker = Compose.Value.Services["plexsync-worker"];
        Assert.Null(PlexSync.Configuration.ListenAddress.TryParse(worker.Environment["PLEXSYNC_METRICS_LISTEN"], out var listen));
        Assert.Equal(PlexSync.Configuration.ListenAddress.AnyHost, listen!.Host);
        Assert.Contains($"127.0.0.1:{listen.Port}:{listen.Port}", worker.Ports);
    }

    [Fact]
    public void Compose_PublishesPortsOnLoopbackOnly()
    {
        var ports = Compose.Value.Services.SelectMany(s => s.Value.Ports.Select(p => (Service: s.Key, Port: p))).ToList();
        Assert.NotEmpty(ports);
        Assert.All(ports, p => Assert.True(p.Port.StartsWith("127.0.0.1:", StringComparison.Ordinal), $"{p.Service} publishes {p.Port} on every interface"));
    }

    /// <summary>
    /// A repository file: the copy beside the tests when the project copies it there (docker-compose.yml),
    /// else the one in the source tree this file was compiled from.
    /// </summary>
    private static string RepoFile(string relative)
    {
        var copy = Path.Combine(AppContext.BaseDirectory, "repo", relative);
        return File.Exists(copy) ? copy : Path.Combine(Repository.Root(), relative);
    }

    // Compose merges "<<: *anchor" keys; the parser must too.
    private static ComposeFile Load()
    {
        using var reader = new StringReader(File.ReadAllText(RepoFile("docker-compose.yml")));
        return new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<ComposeFile>(new MergingParser(new Parser(reader)));
    }

    [GeneratedRegex(@"^ENV (?<name>PLEXSYNC_HEARTBEAT_FILE)=(?<path>\S+)$", RegexOptions.Multiline)]
    private static partial Regex HeartbeatEnv();

    [GeneratedRegex("TOKEN|API_KEY|PASSWORD|KEYS")]
    private static partial Regex SecretName();

    private sealed record ComposeFile
    {
        // Read so that YamlDotNet records the anchor: it forgets anchors in the keys it skips.
        [YamlMember(Alias = "x-temporal-db", ApplyNamingConventions = false)]
        public Dictionary<string, string> TemporalDb { get; init; } = [];

        public Dictionary<string, Service> Services { get; init; } = [];

        public Dictionary<string, SecretFile> Secrets { get; init; } = [];
    }

    private sealed record Service
    {
        public string Image { get; init; } = "";

        public object? Build { get; init; }

        public string? User { get; init; }

        public string? Restart { get; init; }

        public List<string> Entrypoint { get; init; } = [];

        public Dictionary<string, string> Environment { get; init; } = [];

        public Dictionary<string, Dependency> DependsOn { get; init; } = [];

        public Healthcheck? Healthcheck { get; init; }

        public List<string> Ports { get; init; } = [];

        public List<string> Volumes { get; init; } = [];

        public List<string> Secrets { get; init; } = [];
    }

    private sealed record Dependency
    {
        public string Condition { get; init; } = "";
    }

    private sealed record Healthcheck
    {
        public List<string> Test { get; init; } = [];
    }

    private sealed record SecretFile
    {
        public string File { get; init; } = "";
    }
}
