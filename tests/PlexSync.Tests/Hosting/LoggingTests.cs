using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PlexSync.Hosting;
using Serilog;

namespace PlexSync.Tests.Hosting;

public sealed class LoggingTests
{
    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Configure_StringPropertiesWithTokens_AreRedacted(string format)
    {
        var file = Path.Combine(Path.GetTempPath(), $"plexsync-log-{Guid.NewGuid():N}.log");
        try
        {
            await using (var logger = Logging.Configure(new LoggerConfiguration(), format, "debug", file).CreateLogger())
            {
                logger.Debug("GET {Url}", "http://plex:32400/library?X-Plex-Token=tok123");
                logger.Debug("Querying {Endpoint} for {Scene}", "http://stash/graphql?apikey=key456", 45);
            }

            var output = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("tok123", output, StringComparison.Ordinal);
            Assert.DoesNotContain("key456", output, StringComparison.Ordinal);
            Assert.Contains("X-Plex-Token=REDACTED", output, StringComparison.Ordinal);
            Assert.Contains("apikey=REDACTED", output, StringComparison.Ordinal);
            Assert.Contains("45", output, StringComparison.Ordinal);
            if (format == "json")
            {
                var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(2, lines.Length);
                Assert.Equal("http://plex:32400/library?X-Plex-Token=REDACTED", (string?)JsonNode.Parse(lines[0])!["Url"]);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task CoreLogger_WritesTheCoreEventsToTheProcessLogger_InItsFormatAndRedacted()
    {
        var file = Path.Combine(Path.GetTempPath(), $"plexsync-log-{Guid.NewGuid():N}.log");
        try
        {
            await using (var logger = Logging.Configure(new LoggerConfiguration(), "json", "info", file).CreateLogger())
            {
                var core = new TemporalRuntimes.CoreLogger(() => logger);
                core.LogWarning("gRPC call poll_workflow_task_queue retried 6 times error=http://plex:32400/?X-Plex-Token=tok123");
                core.LogDebug("below the level");
                Assert.False(core.IsEnabled(LogLevel.Debug));
            }

            var line = Assert.Single(await File.ReadAllLinesAsync(file));
            var e = JsonNode.Parse(line)!;
            Assert.Equal(("Warning", TemporalRuntimes.CoreLogger.SourceContext), ((string?)e["@l"], (string?)e["SourceContext"]));
            Assert.Equal("gRPC call poll_workflow_task_queue retried 6 times error=http://plex:32400/?X-Plex-Token=REDACTED", (string?)e["CoreMessage"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void CoreLogger_WithoutALogger_WritesNothing() =>
        Assert.False(new TemporalRuntimes.CoreLogger(() => Serilog.Core.Logger.None).IsEnabled(LogLevel.Critical));
}
