using PlexSync.Clients;
using PlexSync.Domain;
using PlexSync.Operations;

namespace PlexSync.Tests.Operations;

/// <summary>The probe says what happened; `check` words what to set (its configuration keys), never another command's flags.</summary>
public sealed class ServiceProbeTests
{
    private static readonly Uri Url = new("http://stash.invalid:9999");

    [Fact]
    public async Task StashAsksForAKey_NoneGiven_TheProbeNamesNoFlag_TheCheckNamesTheConfigKey()
    {
        var probed = await ServiceProbe.StashAsync(new RefusingStash(), Url, keyGiven: false, CancellationToken.None);

        Assert.Equal(CheckProblem.KeyMissing, probed.Problem);
        Assert.True(probed.CredentialsRefused);
        Assert.Contains("asks for credentials", probed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("--", probed.Detail, StringComparison.Ordinal);
        var advised = SetupCheck.Advise(probed);
        Assert.EndsWith("; set it as stash.api_key (or stash.api_key_file, or PLEXSYNC_STASH_API_KEY)", advised.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("--stash-api-key", advised.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StashRefusesTheKey_IsNotAdvisedAsAMissingOne()
    {
        var probed = await ServiceProbe.StashAsync(new RefusingStash(), Url, keyGiven: true, CancellationToken.None);

        Assert.Equal(CheckProblem.CredentialsRefused, probed.Problem);
        Assert.Equal(probed, SetupCheck.Advise(probed));
        Assert.Contains("refused the API key", probed.Detail, StringComparison.Ordinal);
    }

    private sealed class RefusingStash : IStashClient
    {
        public Task<Scene?> FindSceneAsync(string id, CancellationToken cancellationToken) => throw Refused();

        public Task<ScenesPage> FindScenesAsync(ScenesQuery query, CancellationToken cancellationToken) => throw Refused();

        public Task<ScenesPage> FindScenesByIdsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => throw Refused();

        public Task<Screenshot?> ScreenshotAsync(string path, CancellationToken cancellationToken) => throw Refused();

        public Task<ScenePlays?> ScenePlaysAsync(string id, CancellationToken cancellationToken) => throw Refused();

        public Task<ScenesByPath> FindScenesByPathAsync(StashPathQuery query, int page, CancellationToken cancellationToken) => throw Refused();

        public Task<PlayHistory> AddPlayAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => throw Refused();

        public Task<PlayHistory> DeletePlaysAsync(string id, IReadOnlyList<DateTimeOffset> times, CancellationToken cancellationToken) => throw Refused();

        public Task SaveResumeAsync(string id, double seconds, CancellationToken cancellationToken) => throw Refused();

        private static ServiceException Refused() => new("stash", "POST /graphql", FailureKind.Auth, 401, "unauthorized");
    }
}
