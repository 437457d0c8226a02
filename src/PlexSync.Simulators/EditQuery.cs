using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace PlexSync.Simulators;

/// <summary>
/// One PUT /library/sections/{id}/all edit, parsed and checked before anything changes:
/// an unknown field name is 400, bad field data 500 (plex.md; python-plexapi mixins/edit).
/// </summary>
internal sealed partial class EditQuery
{
    private static readonly string[] ScalarFields = ["title", "titleSort", "summary", "studio", "tagline", "originallyAvailableAt", "contentRating"];
    private static readonly string[] LockOnlyFields = ["thumb", "art"];
    private static readonly string[] ControlParams = ["type", "id", "includeExternalMedia"];
    private const string RemoveSuffix = "[].tag.tag-";

    private readonly Dictionary<string, string> values = [];
    private readonly Dictionary<string, bool> locks = [];
    private readonly Dictionary<string, SortedDictionary<int, string>> adds = [];
    private readonly Dictionary<string, List<string>> removes = [];

    /// <summary>Parses the query (decoded once by the server) or returns the status that rejects it.</summary>
    public static (EditQuery? Edit, int Status) Parse(IQueryCollection query)
    {
        var edit = new EditQuery();
        foreach (var (name, value) in query)
        {
            var status = edit.Add(name, value.ToString());
            if (status != StatusCodes.Status200OK)
            {
                return (null, status);
            }
        }

        return (edit, StatusCodes.Status200OK);
    }

    /// <summary>Applies the edit: values, then indexed tags (added to the set), then removals, then locks.</summary>
    public void Apply(LibraryItem item, Func<string, string, string> canonicalTag)
    {
        foreach (var (field, value) in values)
        {
            SetScalar(item, field, value.Length == 0 ? null : value);
        }

        foreach (var (kind, byIndex) in adds)
        {
            var list = item.TagList(kind);
            foreach (var name in byIndex.Values.Where(n => n.Length > 0))
            {
                var spelled = canonicalTag(kind, name);
                if (!list.Contains(spelled, StringComparer.OrdinalIgnoreCase))
                {
                    list.Add(spelled);
                }
            }
        }

        foreach (var (kind, names) in removes)
        {
            item.TagList(kind).RemoveAll(t => names.Contains(t, StringComparer.OrdinalIgnoreCase));
        }

        foreach (var (field, locked) in locks)
        {
            if (locked)
            {
                item.Locked.Add(field);
            }
            else
            {
                item.Locked.Remove(field);
            }
        }
    }

    private int Add(string name, string value)
    {
        if (ControlParams.Contains(name) || name.StartsWith("X-Plex-", StringComparison.Ordinal))
        {
            return StatusCodes.Status200OK;
        }

        if (name.EndsWith(RemoveSuffix, StringComparison.Ordinal))
        {
            return AddRemoval(name[..^RemoveSuffix.Length], value);
        }

        if (name.EndsWith(".locked", StringComparison.Ordinal))
        {
            var field = name[..^".locked".Length];
            if (!ScalarFields.Contains(field) && !LibraryItem.TagKinds.Contains(field) && !LockOnlyFields.Contains(field))
            {
                return StatusCodes.Status400BadRequest;
            }

            locks[field] = value == "1";
            return StatusCodes.Status200OK;
        }

        if (IndexedTag().Match(name) is { Success: true } m)
        {
            return AddTag(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), value);
        }

        if (name.EndsWith(".value", StringComparison.Ordinal) && ScalarFields.Contains(name[..^".value".Length]))
        {
            return AddValue(name[..^".value".Length], value);
        }

        return StatusCodes.Status400BadRequest;
    }

    private int AddTag(string kind, int index, string value)
    {
        if (!LibraryItem.TagKinds.Contains(kind))
        {
            return StatusCodes.Status400BadRequest;
        }

        if (!adds.TryGetValue(kind, out var byIndex))
        {
            byIndex = [];
            adds[kind] = byIndex;
        }

        byIndex[index] = value;
        return StatusCodes.Status200OK;
    }

    // On the wire each name is percent-encoded on its own and the list is encoded once more
    // (python-plexapi joins quote(name) with "," and then quotes the whole value). The server decoded the
    // query once, so a literal comma separates names and "%2C" is a comma inside a name.
    private int AddRemoval(string kind, string value)
    {
        if (!LibraryItem.TagKinds.Contains(kind))
        {
            return StatusCodes.Status400BadRequest;
        }

        removes[kind] = value.Split(',').Select(Unescape).Where(n => n.Length > 0).ToList();
        return StatusCodes.Status200OK;
    }

    private static string Unescape(string encoded)
    {
        try
        {
            return Uri.UnescapeDataString(encoded);
        }
        catch (UriFormatException)
        {
            return encoded;
        }
    }

    private int AddValue(string field, string value)
    {
        if (field == "originallyAvailableAt" && value.Length > 0 &&
            !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return StatusCodes.Status500InternalServerError;
        }

        values[field] = value;
        return StatusCodes.Status200OK;
    }

    private static void SetScalar(LibraryItem item, string field, string? value)
    {
        switch (field)
        {
            case "title":
                item.Title = value ?? string.Empty;
                break;
            case "titleSort":
                item.TitleSort = value;
                break;
            case "summary":
                item.Summary = value;
                break;
            case "studio":
                item.Studio = value;
                break;
            case "tagline":
                item.Tagline = value;
                break;
            case "originallyAvailableAt":
                item.OriginallyAvailableAt = value;
                break;
            case "contentRating":
                item.ContentRating = value;
                break;
            default:
                throw new InvalidOperationException($"unhandled field {field}");
        }
    }

    [GeneratedRegex(@"^([a-zA-Z]+)\[(\d+)\]\.tag\.tag$")]
    private static partial Regex IndexedTag();
}
