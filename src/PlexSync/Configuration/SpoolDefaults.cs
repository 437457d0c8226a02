namespace PlexSync.Configuration;

/// <summary>Where the hook's spool lives unless spool_path says otherwise.</summary>
internal static class SpoolDefaults
{
    /// <summary>Gets the default spool path for this process's environment.</summary>
    public static string DefaultPath() =>
        DefaultPath(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows(), Environment.GetFolderPath);

    /// <summary>
    /// $XDG_STATE_HOME/plexsync/spool.jsonl, else ~/.local/state/plexsync/spool.jsonl;
    /// %LOCALAPPDATA%\plexsync\spool.jsonl on Windows, which has no XDG state directory.
    /// </summary>
    public static string DefaultPath(
        Func<string, string?> env, bool windows, Func<Environment.SpecialFolder, string> folder)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(folder);
        var dir = windows ? folder(Environment.SpecialFolder.LocalApplicationData) : env("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(dir) && !windows)
        {
            var home = folder(Environment.SpecialFolder.UserProfile);
            dir = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "state");
        }

        // Without a home either, the spool is a file in the working directory.
        return string.IsNullOrEmpty(dir) ? "plexsync-spool.jsonl" : Path.Combine(dir, "plexsync", "spool.jsonl");
    }
}
