namespace PlexSync.Demo;

/// <summary>The Temporal CLI that `plexsync dev` runs: TEMPORAL_CLI_PATH, else the one temporal/unpack-cli.sh puts in this checkout.</summary>
internal static class TemporalCli
{
    public const string PathVariable = "TEMPORAL_CLI_PATH";

    /// <summary>Finds .tools/temporal in the working folder, the demo's build folder, or a folder above them.</summary>
    public static string? FindInCheckout()
    {
        var name = OperatingSystem.IsWindows() ? "temporal.exe" : "temporal";
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".tools", name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
