using System.Text.RegularExpressions;

namespace PlexSync.Tests.Deployment;

/// <summary>
/// What the Docker image and docker-compose.yml can be checked for without a Docker engine (none runs here): the
/// image's build stage publishes a Native AOT program that runs, its final stage holds every file and shared library
/// that program needs, and Debian's docker-compose validates the compose file offline.
/// </summary>
public sealed partial class DockerImageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    // The shared libraries each runtime image provides (https://github.com/dotnet/dotnet-docker,
    // src/runtime-deps/10.0/noble: libc6, libgcc-s1, libstdc++6, and libssl3t64 and libicu74, which .NET loads by name
    // at run time, not through the program's NEEDED list).
    private static readonly Dictionary<string, string[]> LibrariesOfImage = new(StringComparer.Ordinal)
    {
        ["mcr.microsoft.com/dotnet/runtime-deps"] =
        [
            "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
            "libgcc_s.so.1", "libstdc++.so.6",
        ],
    };

    /// <summary>
    /// Runs the Dockerfile's own publish command, runs the program it writes, and checks that the final stage copies
    /// every file the program needs from it and that the final stage's image provides every shared library those
    /// files need: otherwise the container exits at once.
    /// </summary>
    [SkippableFact]
    public async Task FinalImage_HoldsTheProgramAndEveryLibraryItNeeds()
    {
        Skip.IfNot(File.Exists("/usr/bin/readelf") && File.Exists("/usr/bin/clang"), "readelf (binutils) or clang is not installed: Native AOT cannot build here");
        var dockerfile = Dockerfile.Read();
        var output = Directory.CreateTempSubdirectory("plexsync-docker-").FullName;
        try
        {
            var published = Path.Combine(output, "out");
            string[] publish = [.. dockerfile.PublishArguments(published), "--artifacts-path", Path.Combine(output, "artifacts")];
            var (code, log) = await PlexSyncProcess.RunAsync(publish, Limit, executable: "dotnet");
            Assert.True(code == 0, $"dotnet {string.Join(' ', publish)}:\n{log}");

            var copied = dockerfile.CopiedFromBuild().Select(f => Path.Combine(published, Path.GetFileName(f))).ToList();
            Assert.All(copied, f => Assert.True(File.Exists(f), $"the Dockerfile copies {Path.GetFileName(f)}, which the publish did not write"));
            var program = Assert.Single(copied, f => Path.GetFileName(f) == "plexsync");
            var (versionCode, versionOutput) = await PlexSyncProcess.RunAsync(["--version"], Limit, executable: program);
            Assert.True(versionCode == 0, $"the image's ENTRYPOINT /app/plexsync does not run: {versionOutput}");
            Assert.False(File.Exists(Path.Combine(published, "plexsync.runtimeconfig.json")), "the program needs a .NET runtime, which the runtime-deps image does not have");

            var (image, tag) = dockerfile.FinalImage();
            Assert.True(LibrariesOfImage.TryGetValue(image, out var provided), $"{image} is not an official .NET image this test knows");
            var copiedNames = copied.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            foreach (var file in copied)
            {
                foreach (var library in await NeededLibrariesAsync(file))
                {
                    Assert.True(provided.Contains(library) || copiedNames.Contains(library), $"{Path.GetFileName(file)} needs {library}, which {image} does not have");
                }
            }

            // Matching and tags compare Unicode-normalised text, which needs ICU: the runtime-deps Ubuntu image has it,
            // chiseled and Alpine ones do not; the program must load it rather than run with invariant globalization.
            Assert.DoesNotMatch("chiseled|alpine|distroless", tag);
            Assert.True((await File.ReadAllBytesAsync(program)).AsSpan().IndexOf("libicuuc"u8) >= 0, "the program is built with invariant globalization");
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

    private static async Task<List<string>> NeededLibrariesAsync(string file)
    {
        var (code, dynamic) = await PlexSyncProcess.RunAsync(["-d", file], Limit, executable: "/usr/bin/readelf");
        Assert.True(code == 0, dynamic);
        return NeededLibrary().Matches(dynamic).Select(m => m.Groups["name"].Value).ToList();
    }

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[(?<name>[^\]]+)\]")]
    private static partial Regex NeededLibrary();

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

        /// <summary>The files the final stage copies from the build stage's output.</summary>
        public string[] CopiedFromBuild() =>
            Lines.Single(l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2..^1];

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
