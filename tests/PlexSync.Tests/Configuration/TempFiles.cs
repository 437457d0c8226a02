namespace PlexSync.Tests.Configuration;

/// <summary>A temporary folder for config and secret files, removed after the test.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("plexsync-config-").FullName;

    public string Write(string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, body);
        return path;
    }

    public string PathOf(string name) => Path.Combine(dir, name);

    public void Dispose() => Directory.Delete(dir, recursive: true);
}

internal static class Env
{
    public static Func<string, string?> Of(params (string Name, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    public static readonly Func<string, string?> None = _ => null;
}
