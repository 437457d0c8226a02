using PlexSync.Spool;

namespace PlexSync.Tests.Spool;

public sealed class SyncSpoolTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("plexsync-spool-").FullName;

    private SyncSpool Spool => new(Path.Combine(directory, "state", "spool.jsonl"));

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Append_WritesAnEntryReadableByAnotherInstance()
    {
        Spool.Append(Entry("3", 1));
        Assert.Equal([Entry("3", 1)], Spool.Entries());
    }

    [Fact]
    public void Append_FileIsReadableByTheUserOnly()
    {
        Spool.Append(Entry("3", 1));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Spool.Path));
        }
    }

    [Fact]
    public void Entries_TornLastLine_IsSkippedAndTheRestKept()
    {
        Spool.Append(Entry("1", 1));
        File.AppendAllText(Spool.Path, "{\"sceneId\":\"2\",\"rea");
        Assert.Equal([Entry("1", 1)], Spool.Entries());
    }

    [Fact]
    public async Task FlushAsync_SendsEachScenesLatestOnce_AndEmptiesTheSpool()
    {
        Spool.Append(Entry("1", 1));
        Spool.Append(Entry("2", 2));
        Spool.Append(Entry("1", 3));
        var sent = new List<SpoolEntry>();

        var (count, error) = await Spool.FlushAsync(e => { sent.Add(e); return Task.CompletedTask; }, CancellationToken.None);

        Assert.Null(error);
        Assert.Equal(2, count);
        Assert.Equal([Entry("1", 3), Entry("2", 2)], sent);
        Assert.Empty(Spool.Entries());
        Assert.False(File.Exists(Spool.Path));
    }

    [Fact]
    public async Task FlushAsync_FailedSend_KeepsThatEntry()
    {
        Spool.Append(Entry("1", 1));
        Spool.Append(Entry("2", 2));

        var (count, error) = await Spool.FlushAsync(
            e => e.SceneId == "2" ? throw new InvalidOperationException("Temporal refused") : Task.CompletedTask, CancellationToken.None);

        Assert.Equal(1, count);
        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal([Entry("2", 2)], Spool.Entries());
    }

    [Fact]
    public async Task FlushAsync_EntryAppendedWhileSending_Stays()
    {
        Spool.Append(Entry("1", 1));
        await Spool.FlushAsync(
            e =>
            {
                // A hook appends a newer edit of the same scene while the flush is sending.
                Spool.Append(Entry("1", 5));
                return Task.CompletedTask;
            },
            CancellationToken.None);
        Assert.Equal([Entry("1", 5)], Spool.Entries());
    }

    [Fact]
    public async Task FlushAsync_WhileAnotherFlushRuns_SkipsInsteadOfSendingTwice()
    {
        Spool.Append(Entry("1", 1));
        var inner = (Count: -1, Error: (Exception?)null);
        var sends = 0;
        await Spool.FlushAsync(
            async e =>
            {
                sends++;
                inner = await Spool.FlushAsync(_ => { sends++; return Task.CompletedTask; }, CancellationToken.None);
            },
            CancellationToken.None);
        Assert.Equal(1, sends);
        Assert.Equal(0, inner.Count);
    }

    [Fact]
    public async Task Append_ConcurrentHooks_LoseNothing()
    {
        const int hooks = 40;
        var tasks = Enumerable.Range(1, hooks).Select(i => Task.Run(() => new SyncSpool(Spool.Path).Append(Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i))));
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(hooks, Spool.Entries().Select(e => e.SceneId).Distinct().Count());
    }

    private static SpoolEntry Entry(string sceneId, int second) =>
        new(sceneId, "hook", new DateTimeOffset(2026, 11, 23, 12, 0, second, TimeSpan.Zero));
}
