namespace PlexSync.Domain.Tests;

public class MappingProposerTests
{
    [Fact]
    public void Propose_DifferentRoots_ProposesTheOnePairThatMatchesEveryFile()
    {
        string[] stash = ["/data/stash/001/a.mp4", "/data/stash/002/b.mp4", "/data/stash/c.mkv"];
        string[] plex = ["/media/plex/001/a.mp4", "/media/plex/002/b.mp4", "/media/plex/c.mkv", "/media/plex/other.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal([new PathMapping("/data/stash", "/media/plex")], proposal.Mappings);
        Assert.Equal(3, proposal.Matched);
        Assert.Equal(3, proposal.Paired);
        Assert.Equal(3, proposal.Sampled);
    }

    [Fact]
    public void Propose_PathsAlreadyEqual_ProposesNothing()
    {
        string[] paths = ["/srv/videos/a.mp4", "/srv/videos/b.mp4"];

        var proposal = MappingProposer.Propose(paths, paths);

        Assert.Empty(proposal.Mappings);
        Assert.Equal(2, proposal.Matched);
    }

    [Fact]
    public void Propose_TwoShares_ProposesBoth_TheLargerFirstWhenEquallyDeep()
    {
        string[] stash = ["/mnt/a/x1.mp4", "/mnt/a/x2.mp4", "/mnt/a/x3.mp4", "/mnt/b/y1.mp4"];
        string[] plex = ["/plex/one/x1.mp4", "/plex/one/x2.mp4", "/plex/one/x3.mp4", "/plex/two/y1.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal([new PathMapping("/mnt/a", "/plex/one"), new PathMapping("/mnt/b", "/plex/two")], proposal.Mappings);
        Assert.Equal(4, proposal.Matched);
    }

    [Fact]
    public void Propose_MajorityWins_AndTheOddFileStaysUnmatched()
    {
        // One file Plex keeps elsewhere (moved by hand) must not pull the whole library with it.
        string[] stash = ["/data/v/a.mp4", "/data/v/b.mp4", "/data/v/c.mp4"];
        string[] plex = ["/media/v/a.mp4", "/media/v/b.mp4", "/elsewhere/deep/c.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal([new PathMapping("/data/v", "/media/v")], proposal.Mappings);
        Assert.Equal(3, proposal.Paired);
        Assert.Equal(2, proposal.Matched);
    }

    [Fact]
    public void Propose_SharedFolderNames_PrefersTheMountPointToTheRootAboveIt()
    {
        string[] stash = ["/data/videos/001/a.mp4", "/data/videos/002/b.mp4"];
        string[] plex = ["/media/videos/001/a.mp4", "/media/videos/002/b.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal([new PathMapping("/data/videos", "/media/videos")], proposal.Mappings);
    }

    [Fact]
    public void Propose_TwoFoldersUnderOneRootGoingToDifferentPlaces_ProposesOnePerFolder()
    {
        string[] stash = ["/data/videos/a.mp4", "/data/videos/b.mp4", "/data/other/c.mp4"];
        string[] plex = ["/media/videos/a.mp4", "/media/videos/b.mp4", "/mnt/other/c.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal(3, proposal.Matched);
        Assert.Equal(2, proposal.Mappings.Count);
        Assert.Contains(new PathMapping("/data/other", "/mnt/other"), proposal.Mappings);
    }

    [Fact]
    public void Propose_FolderAlreadyEqualBelowAMappedRoot_KeepsItsFilesInPlace()
    {
        // /srv/x is the same on both sides but /srv/y moves: mapping /srv/y must not capture /srv/x.
        string[] stash = ["/srv/y/a.mp4", "/srv/y/b.mp4", "/srv/x/c.mp4"];
        string[] plex = ["/plex/y2/a.mp4", "/plex/y2/b.mp4", "/srv/x/c.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal(3, proposal.Matched);
    }

    [Fact]
    public void Propose_WindowsStashAndLinuxPlex_KeepsEachSidesSeparators()
    {
        string[] stash = [@"D:\Videos\Studio\a.mp4", @"D:\Videos\b.mp4"];
        string[] plex = ["/mnt/videos/Studio/a.mp4", "/mnt/videos/b.mp4"];

        var proposal = MappingProposer.Propose(stash, plex);

        Assert.Equal([new PathMapping(@"D:\Videos", "/mnt/videos")], proposal.Mappings);
        Assert.Equal(2, proposal.Matched);
    }

    [Fact]
    public void Propose_NetworkShare_KeepsItsLeadingBackslashes()
    {
        var proposal = MappingProposer.Propose(["/data/a.mp4"], [@"\\nas\share\a.mp4"]);

        Assert.Equal([new PathMapping("/data", @"\\nas\share")], proposal.Mappings);
    }

    [Fact]
    public void Propose_StashAtTheRoot_MapsTheRoot()
    {
        var proposal = MappingProposer.Propose(["/a.mp4", "/sub/b.mp4"], ["/media/a.mp4", "/media/sub/b.mp4"]);

        Assert.Equal([new PathMapping("/", "/media")], proposal.Mappings);
        Assert.Equal(2, proposal.Matched);
    }

    [Fact]
    public void Propose_NameHeldByTwoPlexFiles_IsNotEvidence()
    {
        var proposal = MappingProposer.Propose(["/data/a.mp4"], ["/media/x/a.mp4", "/media/y/a.mp4"]);

        Assert.Empty(proposal.Mappings);
        Assert.Equal(0, proposal.Paired);
        Assert.Equal(0, proposal.Matched);
    }

    [Fact]
    public void Propose_NamesDifferingInCase_Pair()
    {
        var proposal = MappingProposer.Propose(["/data/Scene.MP4"], ["/media/scene.mp4"]);

        Assert.Equal([new PathMapping("/data", "/media")], proposal.Mappings);
        Assert.Equal(1, proposal.Paired);
    }

    [Fact]
    public void Propose_DotDotPath_IsNeverCountedMatched()
    {
        var proposal = MappingProposer.Propose(["/data/../a.mp4"], ["/media/a.mp4"]);

        Assert.Equal(0, proposal.Matched);
    }

    [Fact]
    public void Propose_NoPlexFiles_ProposesNothing()
    {
        var proposal = MappingProposer.Propose(["/data/a.mp4"], []);

        Assert.Empty(proposal.Mappings);
        Assert.Equal(1, proposal.Sampled);
    }
}
