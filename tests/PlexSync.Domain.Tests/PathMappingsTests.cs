namespace PlexSync.Domain.Tests;

public class PathMappingsTests
{
    // Linux and Windows sources and targets, a prefix of another, trailing separators
    private static readonly PathMappings Several = new(
    [
        new("/data/videos", "/media/videos"),
        new(@"C:\Stash\Library", "/mnt/library"),
        new("/data", @"\\nas\share"),
        new("/srv/stash/", "D:\\Plex\\"),
    ]);

    [Theory]
    [InlineData("/data/videos/a/b.mp4", "/media/videos/a/b.mp4")] // linux to linux
    [InlineData("/data/videos2/b.mp4", @"\\nas\share\videos2\b.mp4")] // whole-segment prefix only
    [InlineData(@"c:\stash\library\Sub\x.mkv", "/mnt/library/Sub/x.mkv")] // windows source, case-insensitive
    [InlineData("/data/other/c.mp4", @"\\nas\share\other\c.mp4")] // first match wins, windows target
    [InlineData("/srv/stash/d.mp4", @"D:\Plex\d.mp4")] // trailing separators
    [InlineData("/elsewhere/e.mp4", "/elsewhere/e.mp4")] // unmapped: unchanged
    [InlineData("/data/videos/./f.mp4", "/media/videos/f.mp4")] // "." dropped
    public void Map_Path_RewritesFirstMatchingPrefix(string path, string want)
    {
        Assert.Equal(want, Several.Map(path));
    }

    // Only a Windows "from" compares case-insensitively
    [Fact]
    public void Map_UnixFrom_IsCaseSensitive()
    {
        var ms = new PathMappings([new("/data/videos", "/media/videos")]);

        Assert.Equal("/DATA/videos/a.mp4", ms.Map("/DATA/videos/a.mp4"));
    }

    // A path equal to the prefix maps to the target itself
    [Theory]
    [InlineData("/data/videos", "/media/videos")]
    [InlineData("/data/videos/", "/media/videos")]
    public void Map_PathIsPrefix_MapsToTarget(string path, string want)
    {
        Assert.Equal(want, Several.Map(path));
    }

    [Fact]
    public void Map_NoMappings_ReturnsPathUnchanged()
    {
        Assert.Equal(@"C:\x\..y\z.mp4", PathMappings.None.Map(@"C:\x\..y\z.mp4"));
    }

    [Theory]
    [InlineData("/data/videos/../secret/x.mp4")]
    [InlineData(@"/data/videos/..\x.mp4")]
    [InlineData("/elsewhere/../x.mp4")] // refused even when no mapping covers it
    [InlineData("..")]
    public void Map_DotDotSegment_Refused(string path)
    {
        var ms = new PathMappings([new("/data/videos", "/media/videos")]);

        var e = Assert.Throws<UnsafePathException>(() => ms.Map(path));
        Assert.Equal(path, e.PathValue);
    }

    // Names with dots that are not a ".." segment are fine
    [Theory]
    [InlineData("/data/videos/..a/x.mp4", "/media/videos/..a/x.mp4")]
    [InlineData("/data/videos/a../x.mp4", "/media/videos/a../x.mp4")]
    [InlineData("/data/videos/.../x.mp4", "/media/videos/.../x.mp4")]
    public void Map_DotsInsideName_Allowed(string path, string want)
    {
        var ms = new PathMappings([new("/data/videos", "/media/videos")]);

        Assert.Equal(want, ms.Map(path));
    }

    // An empty side, a blank side, a ".." segment in either
    [Theory]
    [InlineData("", "/x")]
    [InlineData("/x", " ")]
    [InlineData("/a/../b", "/x")]
    [InlineData("/x", @"D:\a\..\b")]
    [InlineData("\u2000", "/x")] // Unicode white space is blank too
    public void Validate_BadMapping_ReturnsProblem(string from, string to)
    {
        var problem = new PathMappings([new("/ok", "/ok"), new(from, to)]).Validate();

        Assert.NotNull(problem);
        Assert.StartsWith("path_mappings[1]:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GoodMapping_ReturnsNull()
    {
        Assert.Null(new PathMappings([new("/a", "/b")]).Validate());
        Assert.Null(PathMappings.None.Validate());
    }

    // The path Plex is asked for is NFC, whatever form Stash spells it in
    [Theory]
    [InlineData("/elsewhere/Cafe\u0301.mp4", "/elsewhere/Café.mp4")]
    [InlineData("/data/videos/Cafe\u0301/x.mp4", "/media/videos/Café/x.mp4")]
    [InlineData("/data/videos/Café/x.mp4", "/media/videos/Café/x.mp4")]
    public void Map_NfdPath_ComesOutNfc(string path, string want)
    {
        Assert.Equal(want, Several.Map(path));
    }

    // A mapping typed in one normal form covers paths spelled in the other
    [Theory]
    [InlineData("/Vidéos", "/data/Vide\u0301os/x.mp4")]
    [InlineData("/Vide\u0301os", "/data/Vidéos/x.mp4")]
    public void Map_FromAndPathInDifferentNormalForms_StillMaps(string fromTail, string path)
    {
        var ms = new PathMappings([new("/data" + fromTail, "/media")]);

        Assert.Equal("/media/x.mp4", ms.Map(path));
    }

    [Theory]
    [InlineData("/media/videos/a/b.mp4", "/data/videos/a/b.mp4")] // the first mapping, backwards
    [InlineData("/mnt/library/Sub/x.mkv", @"C:\Stash\Library\Sub\x.mkv")] // to a Windows Stash, its separator
    [InlineData(@"\\nas\share\other\c.mp4", "/data/other/c.mp4")] // a Windows Plex prefix
    [InlineData("/elsewhere/e.mp4", "/elsewhere/e.mp4")] // unmapped: unchanged
    public void Reversed_PlexPath_MapsBackToStash(string plexPath, string want)
    {
        Assert.Equal(want, Several.Reversed.Map(plexPath));
    }
}
