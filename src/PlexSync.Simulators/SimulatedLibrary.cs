using System.Globalization;

namespace PlexSync.Simulators;

/// <summary>
/// A simulated Stash and Plex with a seeded library: Stash sees files under <see cref="StashRoot"/>, Plex the
/// same files under <see cref="PlexRoot"/>, as with two containers mounting one share.
/// </summary>
public sealed class SimulatedLibrary : IAsyncDisposable
{
    public const string StashRoot = "/data/videos";
    public const string PlexRoot = "/media/videos";
    public const int SectionKey = 1;
    public const string SectionTitle = "Movies";

    private static readonly string[] SeedPerformers = ["Alex Stone", "Bea Marín", "Chloé Dubois", "Dmitri Volkov", "Emi Tanaka", "Farah Haddad", "Gus Olsen"];
    private static readonly string[] SeedTags = ["Outdoor", "Interview", "Behind the Scenes", "Travel", "Music", "Comedy", "Drama", "4K"];
    private static readonly string[] SeedStudios = ["North Light", "Blue Harbor", "Studio Ümlaut", "Red Fern"];

    private readonly Lock gate = new();
    private readonly Dictionary<int, int> ratingKeys = [];

    private SimulatedLibrary(StashSimulator stash, PlexSimulator plex, string? apiKey, string? plexToken)
    {
        Stash = stash;
        Plex = plex;
        ApiKey = apiKey;
        PlexToken = plexToken;
    }

    public StashSimulator Stash { get; }

    public PlexSimulator Plex { get; }

    public string? ApiKey { get; }

    public string? PlexToken { get; }

    /// <summary>Starts both simulators on loopback and seeds <paramref name="sceneCount"/> scenes, each with a Plex item.</summary>
    public static async Task<SimulatedLibrary> StartAsync(int sceneCount, string? apiKey, string? plexToken, CancellationToken cancellationToken = default)
    {
        var stash = await StashSimulator.StartAsync(new StashSimulatorOptions { ApiKey = apiKey }, cancellationToken);
        PlexSimulator plex;
        try
        {
            plex = await PlexSimulator.StartAsync(new PlexSimulatorOptions { Token = plexToken }, cancellationToken);
        }
        catch
        {
            await stash.DisposeAsync();
            throw;
        }

        plex.AddSection(SectionKey, SectionTitle, PlexRoot);

        // One clock for both, as two servers that agree on the time: the simulated Stash's runs ahead of
        // the real one when scenes are saved faster than one a second.
        plex.Clock = stash.Now;
        var library = new SimulatedLibrary(stash, plex, apiKey, plexToken);
        for (var i = 1; i <= sceneCount; i++)
        {
            library.AddScene(SeedScene(i), inPlex: true);
        }

        return library;
    }

    /// <summary>A deterministic scene with varied metadata.</summary>
    public static StashScene SeedScene(int i) => new()
    {
        Id = i,
        Title = $"Scene {i}",
        Details = $"Details of scene {i}.\nSecond line.",
        Date = string.Create(CultureInfo.InvariantCulture, $"20{10 + (i % 15):00}-{1 + (i % 12):00}-{1 + (i % 28):00}"),
        Rating100 = 20 + (i * 7 % 81),
        Studio = SeedStudios[i % SeedStudios.Length],
        Performers = [SeedPerformers[i % SeedPerformers.Length], SeedPerformers[(i + 3) % SeedPerformers.Length]],
        Tags = [SeedTags[i % SeedTags.Length], SeedTags[(i + 1) % SeedTags.Length], SeedTags[(i + 5) % SeedTags.Length]],
        Files = [string.Create(CultureInfo.InvariantCulture, $"{StashRoot}/{i % 100:000}/scene-{i:00000}.mp4")],
        Groups = i % 5 == 0 ? [$"Series {i % 3}"] : [],
    };

    /// <summary>Stores a scene in Stash and, when <paramref name="inPlex"/>, an item for its primary file in Plex.</summary>
    public void AddScene(StashScene scene, bool inPlex)
    {
        ArgumentNullException.ThrowIfNull(scene);
        Stash.Put(scene);
        if (inPlex)
        {
            ScanIntoPlex(scene.Id);
        }
    }

    /// <summary>Adds the Plex item for a scene's primary file, as a Plex scan would, and returns its ratingKey.</summary>
    public int ScanIntoPlex(int sceneId)
    {
        if (!Stash.TryGetScene(sceneId, out var scene) || scene.Files.Count == 0)
        {
            throw new KeyNotFoundException($"no Stash scene {sceneId} with a file");
        }

        var ratingKey = Plex.AddItem(SectionKey, ToPlexPath(scene.Files[0]));
        lock (gate)
        {
            ratingKeys[sceneId] = ratingKey;
        }

        return ratingKey;
    }

    /// <summary>The Plex ratingKey of a scene's item, or 0 when it has none.</summary>
    public int RatingKey(int sceneId)
    {
        lock (gate)
        {
            return ratingKeys.GetValueOrDefault(sceneId);
        }
    }

    /// <summary>The Plex item of a scene, as it is now; fails when the scene has none.</summary>
    public PlexItemSnapshot PlexItemOf(int sceneId) =>
        Plex.TryGetItem(RatingKey(sceneId), out var item) ? item : throw new InvalidOperationException($"scene {sceneId} has no Plex item");

    /// <summary>Moves a scene's Plex item to a new ratingKey (Plex re-added the file) and returns the new key.</summary>
    public int Rescan(int sceneId)
    {
        var ratingKey = Plex.Rescan(RatingKey(sceneId));
        lock (gate)
        {
            ratingKeys[sceneId] = ratingKey;
        }

        return ratingKey;
    }

    /// <summary>The path Plex sees for a path Stash sees.</summary>
    public static string ToPlexPath(string stashPath)
    {
        ArgumentNullException.ThrowIfNull(stashPath);
        return stashPath.StartsWith(StashRoot, StringComparison.Ordinal) ? PlexRoot + stashPath[StashRoot.Length..] : stashPath;
    }

    public async ValueTask DisposeAsync()
    {
        await Stash.DisposeAsync();
        await Plex.DisposeAsync();
    }
}
