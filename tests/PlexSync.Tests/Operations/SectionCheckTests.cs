using PlexSync.Clients;
using PlexSync.Operations;

namespace PlexSync.Tests.Operations;

/// <summary>`plexsync check` on plex.sections: the words a worker fails with (ConfigError), and what to do.</summary>
public sealed class SectionCheckTests
{
    private static readonly PlexSection[] Sections =
    [
        new("1", "Movies", "movie"),
        new("2", "TV Shows", "show"),
        new("3", "Clips", "movie"),
    ];

    [Fact]
    public void MovieSections_AreFine() =>
        Assert.True(ServiceProbe.Sections(["movies", "Clips"], Sections).Ok);

    [Fact]
    public void AShowSection_IsNamedAsSuch()
    {
        var line = SetupCheck.Advise(ServiceProbe.Sections(["Movies", "TV Shows"], Sections));

        Assert.False(line.Ok);
        Assert.Equal(
            "plex.sections: \"TV Shows\" is a show section, not a movie section; PlexSync writes to movie sections only (its movie sections: Movies, Clips); set plex.sections to the ones that hold your Stash files",
            line.Detail);
    }

    [Fact]
    public void AMissingSection_ListsTheMovieSections()
    {
        var line = ServiceProbe.Sections(["Films"], Sections);

        Assert.False(line.Ok);
        Assert.StartsWith("plex.sections: Plex has no library section \"Films\" (its movie sections: Movies, Clips)", line.Detail, StringComparison.Ordinal);
    }
}
