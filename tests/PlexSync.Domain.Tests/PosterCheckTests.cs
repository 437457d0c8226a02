namespace PlexSync.Domain.Tests;

public class PosterCheckTests
{
    [Theory]
    [InlineData("/scene/45/screenshot?t=1715112705", 1715112705L)]
    [InlineData("/scene/45/screenshot?apikey=x&t=17", 17L)]
    [InlineData("/scene/45/screenshot?t=", null)]
    [InlineData("/scene/45/screenshot?t=-5", null)]
    [InlineData("/scene/45/screenshot?at=5", null)]
    [InlineData("/scene/45/screenshot", null)]
    [InlineData("", null)]
    public void ScreenshotStamp_IsTheTParameter(string path, long? want) =>
        Assert.Equal(want, PosterCheck.ScreenshotStamp(path));

    // plex-api-spec's example: thumb "/library/metadata/58683/thumb/1703239236" beside updatedAt 1703239236
    [Theory]
    [InlineData("/library/metadata/58683/thumb/1703239236", 1703239236L)]
    [InlineData("/library/metadata/58683/thumb/1703239236?X-Plex-Token=x", 1703239236L)]
    [InlineData("/library/metadata/58683/thumb", null)]
    [InlineData("/library/metadata/58683/art/1703239236", null)]
    [InlineData("/library/metadata/58683/thumb/abc", null)]
    [InlineData("upload://posters/abc", null)]
    [InlineData(null, null)]
    public void ThumbStamp_IsTheNumberTheThumbUrlEndsWith(string? thumb, long? want) =>
        Assert.Equal(want, PosterCheck.ThumbStamp(thumb));

    // python-plexapi's poster test looks for ratingKey.startswith("upload://") and endswith(sha1)
    [Theory]
    [InlineData("upload://posters/9f7003fc401761d8e0b0364d428b2dab2f789dbb", true)]
    [InlineData("upload://posters/9F7003FC401761D8E0B0364D428B2DAB2F789DBB", true)]
    [InlineData("upload://thumbs/1234/9f7003fc401761d8e0b0364d428b2dab2f789dbb", true)]
    [InlineData("UPLOAD://posters/9f7003fc401761d8e0b0364d428b2dab2f789dbb", true)]
    [InlineData("upload://posters/09f7003fc401761d8e0b0364d428b2dab2f789dbb", false)]
    [InlineData("metadata://posters/9f7003fc401761d8e0b0364d428b2dab2f789dbb", false)]
    [InlineData("https://example.com/9f7003fc401761d8e0b0364d428b2dab2f789dbb", false)]
    [InlineData("upload://posters/", false)]
    public void IsUploadOf_AsksForTheSchemeAndTheHashAtTheEnd(string key, bool want) =>
        Assert.Equal(want, PosterCheck.IsUploadOf(key, "9f7003fc401761d8e0b0364d428b2dab2f789dbb"));

    [Fact]
    public void IsUploadOf_EmptyHash_NeverMatches() => Assert.False(PosterCheck.IsUploadOf("upload://posters/", ""));
}
