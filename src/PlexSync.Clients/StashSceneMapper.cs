using PlexSync.Domain;

namespace PlexSync.Clients;

/// <summary>Maps Stash's scene JSON to the domain's <see cref="Scene"/>.</summary>
internal static class StashSceneMapper
{
    public static Scene ToScene(StashSceneWire wire) => new()
    {
        Id = wire.Id ?? "",
        Title = wire.Title ?? "",
        Details = wire.Details ?? "",
        Date = wire.Date ?? "",
        Rating100 = wire.Rating100,
        Studio = wire.Studio?.Name ?? "",
        Performers = Names(wire.Performers),
        Tags = Names(wire.Tags),
        Groups = Names((wire.Groups ?? []).Select(g => g.Group).OfType<StashNamed>()),
        Files = (wire.Files ?? []).Select(f => f.Path ?? "").Where(p => p.Length > 0).ToList(),
        Screenshot = LocalPath(wire.Paths?.Screenshot),
        UpdatedAt = wire.UpdatedAt.At,
    };

    /// <summary>
    /// Keeps the path and query of a Stash URL minus any apikey parameter, so that no host and no
    /// credential travels in a workflow payload.
    /// </summary>
    public static string LocalPath(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var uri))
        {
            return "";
        }

        if (!uri.IsAbsoluteUri)
        {
            // Only to split path from query; the host is thrown away.
            uri = new Uri(new Uri("http://stash.invalid"), uri);
        }

        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !IsApiKey(p));
        var joined = string.Join('&', query);
        return uri.AbsolutePath + (joined.Length > 0 ? "?" + joined : "");
    }

    private static bool IsApiKey(string parameter)
    {
        var name = parameter.Split('=', 2)[0];
        return Uri.UnescapeDataString(name).Equals("apikey", StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> Names(IEnumerable<StashNamed>? named) =>
        (named ?? []).Select(n => n.Name ?? "").Where(n => n.Length > 0).ToList();
}
