namespace PlexSync.Demo;

/// <summary>The demo's log: what the plexsync processes write on stderr, line by line, from several processes.</summary>
internal sealed class LogFile(string path) : IAsyncDisposable
{
    private readonly StreamWriter writer = new(path, append: true) { AutoFlush = true };

    public string Path => path;

    public void Write(string line)
    {
        lock (writer)
        {
            writer.WriteLine(line);
        }
    }

    public ValueTask DisposeAsync() => writer.DisposeAsync();
}
