namespace PlexSync.Domain.Tests;

/// <summary>Shared inputs: a sample scene and the field options.</summary>
internal static class Samples
{
    public static Scene Scene() => new()
    {
        Id = "45",
        Title = "A Title",
        Details = "Line one\nLine two",
        Date = "2023-05-01",
        Rating100 = 85,
        Studio = "Studio X",
        Performers = ["Ann", "Bob", "ann"],
        Tags = ["Outdoor", "Solo"],
        Groups = ["Series 1"],
        Files = ["/data/videos/a/clip.mp4"],
        Screenshot = "/scene/45/screenshot?t=1",
    };

    /// <summary>Every field synced, collections from the given sources.</summary>
    public static SceneOptions AllFields(params string[] collectionSources) =>
        new() { Fields = new SyncFields(), CollectionSources = collectionSources };

    /// <summary>No field synced; switch single ones on with a with-expression.</summary>
    public static SyncFields NoFields() => new()
    {
        Title = false,
        Summary = false,
        Studio = false,
        Date = false,
        Performers = false,
        Tags = false,
        Collections = false,
        Rating = false,
        Poster = false,
    };

    /// <summary>Shows a string with every non-printable or non-ASCII UTF-16 unit escaped, for failure messages.</summary>
    public static string Show(string? s) =>
        s is null ? "null" : "\"" + string.Concat(s.Select(c => c is >= ' ' and < '\x7f' ? c.ToString() : $"\\u{(int)c:X4}")) + "\"";
}
