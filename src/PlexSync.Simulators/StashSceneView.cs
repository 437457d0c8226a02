using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PlexSync.Simulators;

/// <summary>Turns stored scenes into the GraphQL shapes of the schema (dictionaries keyed by field name).</summary>
internal sealed class StashSceneView(string baseUrl, TimeSpan utcOffset)
{
    /// <summary>updated_at and created_at as Stash stores them: RFC3339 text in the server's local zone.</summary>
    public string Timestamp(DateTimeOffset at) =>
        at.ToOffset(utcOffset).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal);

    /// <summary>A stable ID per name, as Stash has one per tag, performer, studio or group.</summary>
    public static string NameId(string kind, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(kind + "\0" + name));
        return ((hash[0] << 8) | hash[1]).ToString(CultureInfo.InvariantCulture);
    }

    public Dictionary<string, object?> Scene(StashScene scene)
    {
        var id = scene.Id.ToString(CultureInfo.InvariantCulture);
        return new()
        {
            ["id"] = id,
            ["title"] = scene.Title,
            ["code"] = scene.Code,
            ["details"] = scene.Details,
            ["director"] = scene.Director,
            ["url"] = scene.Urls.FirstOrDefault(),
            ["urls"] = scene.Urls.ToList(),
            ["date"] = scene.Date,
            ["rating100"] = scene.Rating100,
            ["organized"] = scene.Organized,
            ["o_counter"] = 0,
            ["interactive"] = false,
            ["created_at"] = Timestamp(scene.CreatedAt),
            ["updated_at"] = Timestamp(scene.UpdatedAt),
            ["files"] = scene.Files.Select((f, i) => File(scene, f, i)).ToList(),
            ["paths"] = Paths(scene, id),
            ["studio"] = Studio(scene.Studio, scene.ParentStudio),
            ["groups"] = scene.Groups.Select(g => new Dictionary<string, object?> { ["group"] = Group(g), ["scene_index"] = null }).ToList(),
            ["tags"] = scene.Tags.Select(Tag).ToList(),
            ["performers"] = scene.Performers.Select(Performer).ToList(),
            ["stash_ids"] = new List<object>(),
            ["play_history"] = scene.PlayHistory.OrderDescending().Select(PlayTime).ToList(),
            ["play_count"] = scene.PlayHistory.Count,
            ["last_played_at"] = scene.PlayHistory.Count > 0 ? PlayTime(scene.PlayHistory.Max()) : null,
            ["resume_time"] = scene.ResumeTime,
            ["play_duration"] = scene.PlayDuration,
        };
    }

    /// <summary>
    /// A play time as Stash returns it: stored as UTC text with whole seconds (pkg/sqlite/timestamp.go UTCTimestamp),
    /// read back in UTC and written RFC3339, so "Z" whatever the server's zone.
    /// </summary>
    public static string PlayTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private Dictionary<string, object?> Paths(StashScene scene, string id)
    {
        // Never null, cover or not: without a cover the URL serves Stash's SVG placeholder.
        var unix = scene.UpdatedAt.ToUnixTimeSeconds();
        return new()
        {
            ["screenshot"] = $"{baseUrl}/scene/{id}/screenshot?t={unix}",
            ["preview"] = $"{baseUrl}/scene/{id}/preview",
            ["stream"] = $"{baseUrl}/scene/{id}/stream",
            ["webp"] = $"{baseUrl}/scene/{id}/webp",
            ["vtt"] = $"{baseUrl}/scene/{id}/vtt/thumbs",
            ["sprite"] = $"{baseUrl}/scene/{id}/vtt/sprite",
            ["funscript"] = $"{baseUrl}/scene/{id}/funscript",
            ["interactive_heatmap"] = $"{baseUrl}/scene/{id}/interactive_heatmap",
            ["caption"] = $"{baseUrl}/scene/{id}/caption",
        };
    }

    private Dictionary<string, object?> File(StashScene scene, string path, int index)
    {
        var stamp = Timestamp(scene.CreatedAt);
        return new()
        {
            ["id"] = string.Create(CultureInfo.InvariantCulture, $"{scene.Id}{index:00}"),
            ["path"] = path,
            ["basename"] = Basename(path),
            ["mod_time"] = stamp,
            ["size"] = 1L << 20,
            ["fingerprints"] = new List<IDictionary<string, object?>>
            {
                new Dictionary<string, object?> { ["type"] = "oshash", ["value"] = scene.Id.ToString("x16", CultureInfo.InvariantCulture) },
            },
            ["format"] = "mp4",
            ["width"] = 1920,
            ["height"] = 1080,
            ["duration"] = 60.0,
            ["video_codec"] = "h264",
            ["audio_codec"] = "aac",
            ["frame_rate"] = 30.0,
            ["bit_rate"] = 8_000_000,
            ["created_at"] = stamp,
            ["updated_at"] = stamp,
        };
    }

    public static string Basename(string path)
    {
        var slash = path.Replace('\\', '/');
        return slash[(slash.LastIndexOf('/') + 1)..];
    }

    private static Dictionary<string, object?>? Studio(string? name, string? parent) => name is null ? null : new()
    {
        ["id"] = NameId("studio", name),
        ["name"] = name,
        ["urls"] = new List<string>(),
        ["parent_studio"] = Studio(parent, null),
        ["child_studios"] = new List<object>(),
    };

    private static Dictionary<string, object?> Group(string name) => new()
    {
        ["id"] = NameId("group", name),
        ["name"] = name,
        ["aliases"] = null,
        ["duration"] = null,
        ["date"] = null,
    };

    private static Dictionary<string, object?> Tag(string name) => new()
    {
        ["id"] = NameId("tag", name),
        ["name"] = name,
        ["sort_name"] = null,
        ["description"] = null,
        ["aliases"] = new List<string>(),
    };

    private static Dictionary<string, object?> Performer(string name) => new()
    {
        ["id"] = NameId("performer", name),
        ["name"] = name,
        ["disambiguation"] = null,
        ["urls"] = new List<string>(),
    };
}
