namespace PlexSync.Hosting;

/// <summary>
/// The Stash plugin folder's program (publish.sh) runs the hook and the plugin's tasks only: it is built without ICU
/// for Stash's Alpine image. What compares Unicode text (matching, tags) refuses to run there rather than run wrong.
/// </summary>
internal static class PluginBuild
{
    /// <summary>Gets what this build lacks for the worker and the commands that match scenes; null when it lacks nothing.</summary>
    public static string? Lacks { get; } =
        "e\u0301".Normalize() != "\u00e9" ? "built without ICU (invariant globalization), so it cannot compare Unicode text as matching does" : null;

    /// <summary>Stops <paramref name="what"/> in the plugin folder's program, naming the build that runs it.</summary>
    public static void Refuse(string what)
    {
        if (Lacks is { } lack)
        {
            throw new UserFacingException(
                $"this plexsync is the Stash plugin folder's program, {lack}: it runs the hook and the plugin's tasks only. " +
                $"Run {what} with the single-file build (./publish.sh writes it to out/publish/<system>/plexsync).");
        }
    }
}
