using System.Text.Json;
using System.Text.RegularExpressions;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// What the Docker image and docker-compose.yml can be checked for without a Docker engine (none runs here): the
/// image's final stage provides every framework the program it publishes asks for, and Debian's docker-compose
/// validates the compose file offline.
/// </summary>
public sealed partial class DockerImageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    // The shared frameworks each official .NET image holds (https://github.com/dotnet/dotnet-docker, "Image variants").
    private static readonly Dictionary<string, string[]> FrameworksOfImage = new(StringComparer.Ordinal)
    {
        ["mcr.microsoft.com/dotnet/runtime-deps"] = [],
        ["mcr.microsoft.com/dotnet/runtime"] = ["Microsoft.NETCore.App"],
        ["mcr.microsoft.com/dotnet/aspnet"] = ["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"],
    };

    /// <summary>
    /// Runs the Dockerfile's own publish command, reads the runtimeconfig it writes, and checks that the final stage's
    /// image has each framework it names, at its major.minor version: otherwise the container exits at once with
    /// "No frameworks were found".
    /// </summary>
    [Fact]
    public async Task FinalImage_HasEveryFrameworkThePublishedProgramNeeds()
    {
        var dockerfile = Dockerfile.Read();
        var output = Directory.CreateTempSubdirectory("plexsync-docker-").FullName;
        try
        {
            string[] publish = [.. dockerfile.PublishArguments(Path.Combine(output, "app")), "--artifacts-path", Path.Combine(output, "artifacts")];
            var (code, log) = await PlexSyncProcess.RunAsync(publish, Limit, executable: "dotnet");
            Assert.True(code == 0, $"dotnet {string.Join(' ', publish)}:\n{log}");
            var (versionCode, versionOutput) = await PlexSyncProcess.RunAsync(["--version"], Limit, executable: Path.Combine(output, "app", "plexsync"));
            Assert.True(versionCode == 0, $"the image's ENTRYPOINT /app/plexsync does not run: {versionOutput}");

            var (image, tag) = dockerfile.FinalImage();
            Assert.True(FrameworksOfImage.TryGetValue(image, out var provided), $"{image} is not an official .NET image this test knows");
            var tagVersion = Version.Parse(VersionPrefix().Match(tag).Value);
            foreach (var (name, version) in Frameworks(Path.Combine(output, "app", "plexsync.runtimeconfig.json")))
            {
                Assert.True(provided.Contains(name), $"the program needs {name}, which {image} does not have; use an image that has it (aspnet has both frameworks) or publish self-contained on runtime-deps");
                Assert.True(tagVersion.Major == version.Major && tagVersion.Minor == version.Minor && tagVersion >= version, $"{image}:{tag} does not run {name} {version}");
            }

            // Matching and tags compare Unicode-normalised text, which needs ICU: the Ubuntu images have it, chiseled and Alpine ones do not.
            Assert.DoesNotMatch("chiseled|alpine|distroless", tag);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ComposeFile_IsValid_ForDockerCompose()
    {
        Skip.IfNot(DockerCompose() is not null, "docker-compose is not installed (.ci/run installs Debian's docker-compose, which validates offline): the compose file's structure is checked by ComposeFileTests only");
        var (code, output) = await PlexSyncProcess.RunAsync(["-f", Path.Combine(Repository.Root(), "docker-compose.yml"), "config", "-q"], Limit, executable: DockerCompose());
        Assert.True(code == 0, output);
    }

    private static string? DockerCompose() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "docker-compose")).FirstOrDefault(File.Exists);

    // A framework-dependent build names "framework" or "frameworks"; a self-contained one names none (includedFrameworks).
    private static List<(string Name, Version Version)> Frameworks(string runtimeConfig)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var options = json.RootElement.GetProperty("runtimeOptions");
        var list = options.TryGetProperty("frameworks", out var many) ? many.EnumerateArray().ToList()
            : options.TryGetProperty("framework", out var one) ? [one]
            : [];
        return list.Select(f => (f.GetProperty("name").GetString()!, Version.Parse(f.GetProperty("version").GetString()!))).ToList();
    }

    [GeneratedRegex(@"^\d+\.\d+(\.\d+)?")]
    private static partial Regex VersionPrefix();

    /// <summary>The Dockerfile's instructions, without comments.</summary>
    private sealed record Dockerfile(IReadOnlyList<string> Lines)
    {
        public static Dockerfile Read() => new(File.ReadAllLines(Path.Combine(Repository.Root(), "Dockerfile"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList());

        /// <summary>The image and tag of the last FROM, the stage that runs.</summary>
        public (string Image, string Tag) FinalImage()
        {
            var from = Lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            var colon = from.LastIndexOf(':');
            return (from[..colon], from[(colon + 1)..]);
        }

        /// <summary>The arguments of the build stage's `RUN dotnet publish PROJECT ...`, writing to <paramref name="output"/> instead of the image's folder.</summary>
        public string[] PublishArguments(string output)
        {
            var words = Lines.Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..];
            // The project path is relative to the build stage's WORKDIR, where the whole checkout is copied.
            words[1] = Path.Combine(Repository.Root(), words[1]);
            var o = Array.IndexOf(words, "-o");
            Assert.True(o >= 0, "the Dockerfile's publish has no -o");
            words[o + 1] = output;
            return words;
        }
    }
}
