using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PlexSync.Spool;

/// <summary>One sync request that could not reach Temporal.</summary>
internal sealed record SpoolEntry(string SceneId, string Reason, DateTimeOffset At);

/// <summary>
/// Keeps sync requests that could not reach Temporal in a local JSON-lines file, so that a Stash hook
/// never loses an event. Appends are written through to disk under a lock file (safe for concurrent hooks
/// on Linux and Windows); a flush sends each scene's latest entry and removes what was sent.
/// </summary>
internal sealed class SyncSpool(string path)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(2);

    public string Path { get; } = path;

    /// <summary>Adds an entry and returns once it is on disk.</summary>
    public void Append(SpoolEntry entry)
    {
        using var _ = Lock();
        using var file = new FileStream(Path, WriteOptions(FileMode.Append));
        file.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, SpoolJsonContext.Default.SpoolEntry) + "\n"));
        file.Flush(flushToDisk: true);
    }

    /// <summary>The pending entries; a torn last line (a crash mid-append) is skipped.</summary>
    public IReadOnlyList<SpoolEntry> Entries()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        using var _ = Lock();
        return Read();
    }

    /// <summary>
    /// Sends each scene's latest pending entry and removes every entry of the scenes sent; those
    /// <paramref name="send"/> fails for stay. Entries appended meanwhile stay too. Returns how many were
    /// sent and the first failure. The data lock is not held while sending, so that hooks can append
    /// meanwhile; a flush lock makes a second flush at the same time skip instead of sending twice.
    /// </summary>
    public async Task<(int Sent, Exception? Error)> FlushAsync(Func<SpoolEntry, Task> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        using var flushing = TryLock(Path + ".flush.lock");
        if (flushing is null)
        {
            return (0, null);
        }

        var pending = Entries().GroupBy(e => e.SceneId).Select(g => g.Last()).ToList();
        var sent = new HashSet<string>(StringComparer.Ordinal);
        Exception? error = null;
        foreach (var entry in pending)
        {
            try
            {
                await send(entry);
                sent.Add(entry.SceneId);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error ??= e;
            }
        }

        if (sent.Count > 0)
        {
            using var _ = Lock();
            var sentAt = pending.Where(e => sent.Contains(e.SceneId)).ToDictionary(e => e.SceneId, e => e.At);
            Replace([.. Read().Where(e => !sentAt.TryGetValue(e.SceneId, out var at) || e.At > at)]);
        }

        return (sent.Count, error);
    }

    private List<SpoolEntry> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var entries = new List<SpoolEntry>();
        foreach (var line in File.ReadAllLines(Path))
        {
            try
            {
                if (JsonSerializer.Deserialize(line, SpoolJsonContext.Default.SpoolEntry) is { SceneId.Length: > 0 } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // A torn line from a crash mid-append: the entries around it are kept.
            }
        }

        return entries;
    }

    // Writes the remaining entries to a new file and renames it over the old one, so that a crash
    // leaves either the old or the new list, never half of one.
    private void Replace(List<SpoolEntry> entries)
    {
        if (entries.Count == 0)
        {
            File.Delete(Path);
            return;
        }

        var temporary = Path + ".tmp";
        using (var file = new FileStream(temporary, WriteOptions(FileMode.Create)))
        {
            foreach (var entry in entries)
            {
                file.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, SpoolJsonContext.Default.SpoolEntry) + "\n"));
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
    }

    // The lock file, not the data file, is locked, because a flush replaces the data file. An exclusive
    // FileStream is an OS lock on Windows and an advisory flock on Linux and macOS.
    private FileStream Lock()
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            if (TryLock(Path + ".lock") is { } held)
            {
                return held;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new IOException($"the spool {Path} stayed locked for {LockWait.TotalSeconds:0} s");
            }

            // Another hook holds it for the few milliseconds an append takes.
            Thread.Sleep(5);
        }
    }

    // Only the user may read what scenes were edited.
    private static FileStreamOptions WriteOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static FileStream? TryLock(string lockPath)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lockPath))!);
        try
        {
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>Source-generated metadata for the spool and the hook's reply (Native AOT has no reflection-based JSON).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SpoolEntry))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SpoolJsonContext : JsonSerializerContext;
