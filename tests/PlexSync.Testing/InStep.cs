using System.Security.Cryptography;
using PlexSync.Clients;
using PlexSync.Domain;
using PlexSync.Simulators;
using PlexSync.Workflows;
using Temporalio.Testing;
using Xunit;

namespace PlexSync.Testing;

/// <summary>The check that ends every sync test: a scene's Plex item holds exactly what Stash's data calls for.</summary>
public static class InStep
{
    /// <summary>
    /// Brings the Plex items of these scenes in step directly with the sync's own activity code,
    /// without Temporal: faster than hundreds of syncs, for tests that start from a synced library.
    /// </summary>
    public static async Task BringAsync(SyncActivities sync, IStashClient stash, SceneOptions options, IEnumerable<string> sceneIds)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(stash);
        ArgumentNullException.ThrowIfNull(sceneIds);
        var environment = new ActivityEnvironment();
        foreach (var id in sceneIds)
        {
            var scene = await stash.FindSceneAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no scene {id}");
            var desired = DesiredStateBuilder.Build(scene, options);
            var match = await environment.RunAsync(() => sync.MatchPlexItemAsync(desired.Files));
            await environment.RunAsync(() => sync.ApplyMetadataAsync(new ApplyInput(match.Item.RatingKey, desired)));
        }
    }

    /// <summary>
    /// Checks every field locked with its value, tag lists as sets (so no duplicate) and locked, the
    /// rating, no PlexSync mark among the labels, and the cover selected and locked after one upload each.
    /// </summary>
    /// <param name="library">The simulators.</param>
    /// <param name="stash">A Stash client that reads the scene as the worker does.</param>
    /// <param name="options">The scene options the worker syncs with.</param>
    /// <param name="sceneId">The scene.</param>
    public static async Task AssertAsync(SimulatedLibrary library, IStashClient stash, SceneOptions options, int sceneId)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(stash);
        var id = sceneId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var scene = await stash.FindSceneAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"no Stash scene {sceneId}");
        var desired = DesiredStateBuilder.Build(scene, options);
        Assert.True(library.Plex.TryGetItem(library.RatingKey(sceneId), out var item), $"scene {sceneId} has no Plex item");
        var fields = new Dictionary<string, string?>
        {
            [PlexFields.Title] = item.Title,
            [PlexFields.Summary] = item.Summary,
            [PlexFields.Studio] = item.Studio,
            [PlexFields.Date] = item.OriginallyAvailableAt,
        };
        foreach (var (name, want) in desired.State.Fields)
        {
            Assert.True(want == (fields[name] ?? ""), $"scene {sceneId}: {name} is \"{fields[name]}\", want \"{want}\"");
            Assert.True(item.IsLocked(name), $"scene {sceneId}: {name} is not locked");
        }

        foreach (var (name, want) in desired.State.Tags)
        {
            Assert.Equal(want.Order(StringComparer.Ordinal), item.TagsOf(name).Order(StringComparer.Ordinal));
            Assert.True(item.IsLocked(name), $"scene {sceneId}: {name} is not locked");
        }

        Assert.Equal(desired.State.Rating, item.UserRating ?? PlexFields.NoRating, 3);
        Assert.True(library.Stash.TryGetScene(sceneId, out var stored));
        var cover = library.Plex.Answers.UploadKey(Convert.ToHexStringLower(SHA1.HashData(StashSimulator.ScreenshotBytes(stored))));
        Assert.DoesNotContain(item.TagsOf(PlexFields.Label), l => l.StartsWith(MetadataDiff.PosterMarkPrefix, StringComparison.Ordinal));
        Assert.Equal(cover, item.SelectedPoster);
        Assert.Equal(item.Posters.Count, item.Uploads);
        Assert.True(item.IsLocked(PlexFields.Poster), $"scene {sceneId}: the poster is not locked");
    }
}
