using PlexSync.Configuration;

namespace PlexSync.Tests.Configuration;

public sealed class ConversionTests
{
    [Fact]
    public void FeedsTheClientsAndTheWorkflows()
    {
        var c = new PlexSyncConfig();
        c.Stash.ApiKey = new Secret("k");
        c.Plex.Token = new Secret("t");
        c.Plex.Timeout = TimeSpan.FromSeconds(7);
        c.Plex.Sections = ["Clips"];
        c.PathMappings = [new PathMappingConfig { From = "/data", To = "/media" }];
        c.Fields.Poster = false;
        c.CollectionSources = ["groups"];
        c.Retry.NotInPlexFor = TimeSpan.FromHours(1);

        var stash = c.ToStashClientOptions();
        var plex = c.ToPlexClientOptions();
        var sync = c.ToSyncSettings();

        Assert.Equal((new Uri("http://localhost:9999"), "k"), (stash.Url, stash.ApiKey));
        Assert.Equal((new Uri("http://localhost:32400"), "t", TimeSpan.FromSeconds(7)), (plex.Url, plex.Token, plex.Timeout));
        Assert.Equal(["Clips"], sync.Sections);
        Assert.Equal("/media/x.mp4", sync.Mappings.Map("/data/x.mp4"));
        Assert.False(sync.Scene.Fields.Poster);
        Assert.True(sync.Scene.Fields.Title);
        Assert.Equal(["groups"], sync.Scene.CollectionSources);
        Assert.Equal(TimeSpan.FromHours(1), sync.Tuning.NotInPlexFor);
        Assert.Equal(TimeSpan.FromMinutes(2), sync.Tuning.ActivityTimeout);
    }

    // Plex lists and authorises devices by X-Plex-Client-Identifier: one per installation, not one for everybody.
    [Fact]
    public void PlexClientId_IsConfiguredOrDerivedFromWhatMakesTheInstallation()
    {
        static string Id(Action<PlexSyncConfig> change)
        {
            var c = new PlexSyncConfig();
            c.Plex.Token = new Secret("t");
            change(c);
            return c.ToPlexClientOptions().ClientId;
        }

        var standard = Id(_ => { });

        Assert.Matches("^plexsync-[0-9a-f]{24}$", standard);
        Assert.Equal(standard, Id(c => c.Plex.Url += "/"));
        Assert.Equal(standard, Id(c => c.Plex.Token = new Secret("another token")));
        Assert.Equal(standard, Id(c => c.Plex.Sections = ["Other"]));
        Assert.NotEqual(standard, Id(c => c.Plex.Url = "http://plex.lan:32400"));
        Assert.NotEqual(standard, Id(c => c.Temporal.Namespace = "home"));
        Assert.NotEqual(standard, Id(c => c.Temporal.TaskQueue = "plexsync-test"));
        Assert.NotEqual(standard, Id(c => c.Temporal.Address = "temporal.lan:7233"));
        Assert.Equal("my-plexsync", Id(c => c.Plex.ClientIdentifier = " my-plexsync "));
    }

    [Fact]
    public void PlexClientId_FromTheEnvironment_AndOnlyPrintableAscii()
    {
        var fromEnv = ConfigLoader.Load(null, Env.Of(("PLEXSYNC_PLEX_TOKEN", "t"), ("PLEXSYNC_PLEX_CLIENT_IDENTIFIER", "box-1")), needPlex: true);
        var c = new PlexSyncConfig();
        c.Plex.Token = new Secret("t");
        c.Plex.ClientIdentifier = "Ünïcode";

        Assert.Equal("box-1", fromEnv.ToPlexClientOptions().ClientId);
        Assert.StartsWith("config: plex.client_identifier: must be printable ASCII", ConfigValidator.Check(c, needPlex: true), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSpoolDefaultsFollowXdgAndWindows()
    {
        string Folder(Environment.SpecialFolder f) => f == Environment.SpecialFolder.UserProfile ? "/home/u" : @"C:\Users\u\AppData\Local";

        Assert.Equal("/state/plexsync/spool.jsonl", SpoolDefaults.DefaultPath(Env.Of(("XDG_STATE_HOME", "/state")), windows: false, Folder));
        Assert.Equal("/home/u/.local/state/plexsync/spool.jsonl", SpoolDefaults.DefaultPath(Env.None, windows: false, Folder));
        Assert.Equal(Path.Combine(@"C:\Users\u\AppData\Local", "plexsync", "spool.jsonl"), SpoolDefaults.DefaultPath(Env.None, windows: true, Folder));
        Assert.Equal("plexsync-spool.jsonl", SpoolDefaults.DefaultPath(Env.None, windows: false, _ => ""));
    }
}
