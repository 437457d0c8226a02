using System.Runtime.CompilerServices;

namespace PlexSync.Tests;

/// <summary>The checkout these tests were compiled from.</summary>
internal static class Repository
{
    /// <summary>The directory that holds PlexSync.sln, above the calling source file.</summary>
    public static string Root([CallerFilePath] string source = "")
    {
        for (var dir = Path.GetDirectoryName(source); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "PlexSync.sln")))
            {
                return dir;
            }
        }

        throw new DirectoryNotFoundException($"no PlexSync.sln above {source}");
    }
}
