namespace PlexSync.Tests.EndToEnd;

/// <summary>
/// Stash's Docker image is Alpine without ICU, and the plugin folder's program is built with invariant
/// globalization for it. Nothing can run Alpine here: these run every plugin path with the tested build and
/// invariant globalization forced, as that program runs them.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class InvariantGlobalizationTests(EndToEndFixture fixture)
{
    private static readonly Dictionary<string, string> Invariant = new() { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" };

    private PluginPaths Paths => new(fixture, program: null, Invariant);

    [Fact]
    public async Task Hook_SyncsAndSpools_WithoutICU()
    {
        var spool = Path.Combine(Path.GetTempPath(), $"plexsync-invariant-{Guid.NewGuid():N}.jsonl");
        try
        {
            await Paths.HookSyncs_AndSpoolsWhenTemporalIsDownAsync(911, spool);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    [Fact]
    public Task EveryTaskOfTheManifest_AndTheRenameHook_RunWithoutICU() => Paths.EveryTaskAndTheRenameHookAsync("90911");

    [Fact]
    public Task WorkerAndCheck_WithoutICU_RefuseRatherThanMatchWrongly() => Paths.WorkerAndCheck_RefuseNamingTheSingleFileBuildAsync();
}
