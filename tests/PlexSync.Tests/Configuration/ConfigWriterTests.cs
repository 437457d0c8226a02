using System.Text.RegularExpressions;
using PlexSync.Configuration;
using PlexSync.Domain;
using PlexSync.Operations;

namespace PlexSync.Tests.Configuration;

public sealed partial class ConfigWriterTests : IDisposable
{
    private readonly TempFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Example_IsTheRepositorysFile()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root(), "plexsync.example.yaml")).ReplaceLineEndings("\n"), ConfigWriter.Example().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Render_KeepsEveryKeyAndCommentOfTheExample_AndLoadsWithTheAnswers()
    {
        var keyFile = files.Write("stash-key", "k-123\n");
        var tokenFile = files.Write("plex-token", "t-456\n");
        var answers = new InitAnswers
        {
            StashUrl = "http://stash.lan:9999",
            PlexUrl = "https://plex.lan:32400",
            Sections = ["Movies", "Clips: 4K #1"],
            Mappings = [new PathMapping(@"D:\Stash's Videos", "/mnt/videos"), new PathMapping("/data", "/media")],
            StashApiKeyFile = keyFile,
            PlexTokenFile = tokenFile,
            TemporalAddress = "temporal:7233",
            TaskQueue = "plexsync-home",
        };

        var yaml = ConfigWriter.Render(ConfigWriter.Example(), answers);
        var config = ConfigLoader.Load(files.Write("plexsync.yaml", yaml), _ => null, needPlex: true);

        Assert.Equal("http://stash.lan:9999", config.Stash.Url);
        Assert.Equal("https://plex.lan:32400", config.Plex.Url);
        Assert.Equal(["Movies", "Clips: 4K #1"], config.Plex.Sections);
        Assert.Equal(answers.Mappings, config.ToPathMappings().Items);
        Assert.Equal("k-123", config.Stash.ApiKey.Reveal());
        Assert.Equal("t-456", config.Plex.Token.Reveal());
        Assert.Equal("temporal:7233", config.Temporal.Address);
        Assert.Equal("plexsync-home", config.Temporal.TaskQueue);

        // Every key of the example, and every comment but the first line's, is still there.
        var example = ConfigWriter.Example().ReplaceLineEndings("\n").Split('\n');
        foreach (var key in example.Select(l => Key().Match(l)).Where(m => m.Success).Select(m => m.Value))
        {
            Assert.Contains(key, yaml, StringComparison.Ordinal);
        }

        foreach (var comment in example.Skip(1).Where(l => l.TrimStart().StartsWith("# ", StringComparison.Ordinal) && !l.Contains("_file:", StringComparison.Ordinal) && !l.Contains("from:", StringComparison.Ordinal) && !l.Contains("to:", StringComparison.Ordinal)))
        {
            Assert.Contains(comment, yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_NoMappingsAndSecretsFromTheEnvironment_LoadsWithNoMappingAndNoSecretFile()
    {
        var yaml = ConfigWriter.Render(ConfigWriter.Example(), new InitAnswers { StashUrl = "http://s:1", PlexUrl = "http://p:2", Sections = ["Movies"] });

        var config = ConfigLoader.Load(files.Write("plexsync.yaml", yaml), name => name == "PLEXSYNC_PLEX_TOKEN" ? "from-env" : null, needPlex: true);

        Assert.Empty(config.PathMappings);
        Assert.Equal("", config.Plex.TokenFile);
        Assert.Equal("from-env", config.Plex.Token.Reveal());
    }

    [GeneratedRegex(@"^\s*[a-z_]+:")]
    private static partial Regex Key();
}
