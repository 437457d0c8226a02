using System.Reflection;

namespace PlexSync.Testing;

/// <summary>The programs the end-to-end tests run, each in its own build folder (see PlexSync.Testing.csproj).</summary>
public static class Programs
{
    /// <summary>Gets plexsync.dll, the shipped program.</summary>
    public static string PlexSync { get; } = Path("PlexSyncProgram");

    /// <summary>Gets plexsync-demo.dll, the README's first command.</summary>
    public static string Demo { get; } = Path("DemoProgram");

    private static string Path(string name) =>
        typeof(Programs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == name).Value!;
}
