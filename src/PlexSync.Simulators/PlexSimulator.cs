using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace PlexSync.Simulators;

/// <summary>Settings of a simulated Plex.</summary>
public sealed record PlexSimulatorOptions
{
    /// <summary>Required X-Plex-Token; null or empty accepts any request.</summary>
    public string? Token { get; init; }

    /// <summary>0 = a free port.</summary>
    public int Port { get; init; }

    /// <summary>Answer JSON with loose types (booleans as 1 or "1", numbers as strings).</summary>
    public bool LenientJson { get; init; }

    /// <summary>How to answer where Plex's answer is not known for sure.</summary>
    public PlexAnswers Answers { get; init; } = new();

    /// <summary>Answer 414 to a request whose request line is longer than this many bytes; null = no limit of our own.</summary>
    public int? MaxRequestLine { get; init; }

    /// <summary>Null keeps ASP.NET quiet.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The server's machineIdentifier (GET /identity); null gives each simulator one of its own, as each Plex server has.</summary>
    public string? MachineIdentifier { get; init; }

    /// <summary>Tokens of Plex users other than the owner, each with its account ID: such a token sees only its own watch history.</summary>
    public IReadOnlyDictionary<string, int> UserTokens { get; init; } = new Dictionary<string, int>();
}

/// <summary>A simulated Plex Media Server: library sections, items, edits, ratings, posters and the watch history.</summary>
public sealed partial class PlexSimulator : SimulatedServer
{
    private const string LibraryIdentifier = "com.plexapp.plugins.library";
    private static readonly (string Kind, string Json)[] TagElements =
        [("genre", "Genre"), ("actor", "Role"), ("collection", "Collection"), ("label", "Label"), ("director", "Director"), ("writer", "Writer"), ("country", "Country")];

    private readonly Lock gate = new();
    private readonly SortedDictionary<int, LibrarySection> sections = [];
    private readonly SortedDictionary<int, LibraryItem> items = [];
    private readonly Dictionary<string, string> tagSpellings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, byte[]> fileKeys = new(StringComparer.Ordinal);
    private readonly PlexSimulatorOptions options;
    private int nextKey = 100;
    private volatile bool lenientJson;
    private volatile PlexAnswers answers;
    private int maxRequestLine;
    private volatile Func<DateTimeOffset> clock = () => DateTimeOffset.UtcNow;

    private PlexSimulator(PlexSimulatorOptions options)
    {
        this.options = options;
        lenientJson = options.LenientJson;
        answers = options.Answers;
        MaxRequestLine = options.MaxRequestLine;
    }

    /// <summary>The token requests must carry, or null.</summary>
    public string? Token => options.Token;

    /// <summary>Switches the loose JSON types on or off while running.</summary>
    public bool LenientJson
    {
        get => lenientJson;
        set => lenientJson = value;
    }

    /// <summary>Gets or sets how to answer where Plex's answer is not known for sure, while running.</summary>
    public PlexAnswers Answers
    {
        get => answers;
        set => answers = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Gets or sets the longest request line answered normally (longer ones get 414), or null for no limit.</summary>
    public int? MaxRequestLine
    {
        get => Volatile.Read(ref maxRequestLine) is > 0 and var limit ? limit : null;
        set => Volatile.Write(ref maxRequestLine, value ?? 0);
    }

    /// <summary>
    /// Gets or sets the server's clock, which stamps each change of an item (updatedAt and its thumb URL).
    /// A <see cref="SimulatedLibrary"/> sets it to the simulated Stash's clock: two servers that agree on the time.
    /// </summary>
    public Func<DateTimeOffset> Clock
    {
        get => clock;
        set => clock = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Called on GET /library/sections/{key}/refresh with the section key and the path parameter, to model a scan.</summary>
    public Action<int, string?>? OnSectionRefresh { get; set; }

    /// <summary>Starts a simulated Plex on 127.0.0.1 with no sections.</summary>
    public static async Task<PlexSimulator> StartAsync(PlexSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PlexSimulatorOptions();
        var sim = new PlexSimulator(options);
        await sim.StartServerAsync(options.Port, options.LoggerFactory, cancellationToken);
        return sim;
    }

    /// <summary>Adds a movie section.</summary>
    public void AddSection(int key, string title, params string[] locations) => AddSection(new LibrarySection(key, title, "movie", [.. locations]));

    /// <summary>Adds a section of any type (movie, show, artist, photo).</summary>
    public void AddSection(LibrarySection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        lock (gate)
        {
            sections[section.Key] = section;
        }
    }

    /// <summary>Adds a movie for a file, as a Plex scan would, and returns its ratingKey. The title is the file name, as the agent would set it.</summary>
    public int AddItem(int section, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        lock (gate)
        {
            var item = new LibraryItem { RatingKey = ++nextKey, SectionKey = section, Title = AgentTitle(file), AddedAt = Now() };
            item.UpdatedAt = item.AddedAt;
            item.Files.Add(file);
            items[item.RatingKey] = item;
            return item.RatingKey;
        }
    }

    /// <summary>Moves an item to a new ratingKey, as Plex does when it removes and re-adds a file; returns the new key.</summary>
    public int Rescan(int ratingKey)
    {
        lock (gate)
        {
            if (!items.Remove(ratingKey, out var item))
            {
                throw new KeyNotFoundException($"no Plex item {ratingKey}");
            }

            item.RatingKey = ++nextKey;
            item.AddedAt = item.UpdatedAt = Now();
            items[item.RatingKey] = item;
            return item.RatingKey;
        }
    }

    /// <summary>Removes an item, as deleting its file and emptying the trash would.</summary>
    public bool RemoveItem(int ratingKey)
    {
        lock (gate)
        {
            return items.Remove(ratingKey);
        }
    }

    /// <summary>A copy of an item.</summary>
    public bool TryGetItem(int ratingKey, [NotNullWhen(true)] out PlexItemSnapshot? item)
    {
        lock (gate)
        {
            item = items.TryGetValue(ratingKey, out var it) ? it.Snapshot() : null;
            return item is not null;
        }
    }

    /// <summary>Copies of all items, by ratingKey.</summary>
    public IReadOnlyList<PlexItemSnapshot> Items()
    {
        lock (gate)
        {
            return items.Values.Select(i => i.Snapshot()).ToList();
        }
    }

    /// <summary>Changes an item in place, as an edit in Plex's UI would; false when unknown.</summary>
    public bool SetItem(int ratingKey, Action<LibraryItem> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        lock (gate)
        {
            if (!items.TryGetValue(ratingKey, out var item))
            {
                return false;
            }

            edit(item);
            foreach (var (kind, list) in item.Tags)
            {
                list.ForEach(name => CanonicalTag(kind, name));
            }

            Touch(item);
            return true;
        }
    }

    protected override void Configure(WebApplication web)
    {
        web.Use(LimitRequestLineAsync);
        web.Use(AuthenticateAsync);
        web.MapGet("/library/sections", ListSections);
        web.MapGet("/library/sections/{key}/all", ListItems);
        web.MapPut("/library/sections/{key}/all", Edit);
        web.MapGet("/library/sections/{key}/refresh", RefreshSection);
        web.MapGet("/library/metadata/{keys}", Metadata);
        web.MapPut("/library/metadata/{rk}/refresh", RefreshItem);
        web.MapGet("/library/metadata/{rk}/posters", ListPosters);
        web.MapPost("/library/metadata/{rk}/posters", UploadPosterAsync);
        web.MapPut("/library/metadata/{rk}/poster", SelectPoster);
        web.MapPut("/:/rate", Rate);
        MapHistory(web);
        web.MapFallback(() => HtmlError(StatusCodes.Status404NotFound));
    }

    private static string AgentTitle(string file)
    {
        var name = StashSceneView.Basename(file);
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    // The first spelling of a tag name in the library wins: tags are library-wide objects.
    private string CanonicalTag(string kind, string name)
    {
        var key = kind + "\0" + name;
        if (!tagSpellings.TryGetValue(key, out var spelled))
        {
            spelled = name;
            tagSpellings[key] = name;
        }

        return spelled;
    }

    private long Now() => Clock().ToUnixTimeSeconds();

    // Every change of an item stamps it, and its thumb URL with it (plex-api-spec's examples: thumb
    // "/library/metadata/265/thumb/1715112705" beside updatedAt 1715112705).
    private void Touch(LibraryItem item) => item.UpdatedAt = Math.Max(item.UpdatedAt, Now());

    // A server (or a proxy in front of it) refuses a request line longer than its limit with 414.
    private Task LimitRequestLineAsync(HttpContext context, RequestDelegate next)
    {
        if (MaxRequestLine is { } limit)
        {
            var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
            var line = context.Request.Method.Length + 1 + target.Length + 1 + context.Request.Protocol.Length;
            if (line > limit)
            {
                return WriteHtmlErrorAsync(context, StatusCodes.Status414UriTooLong);
            }
        }

        return next(context);
    }

    // A wrong or missing token is 401 with an HTML page; /identity needs none (plex-api-spec: security - {}).
    private Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        var given = context.Request.Headers["X-Plex-Token"].ToString();
        if (given.Length == 0)
        {
            given = context.Request.Query["X-Plex-Token"].ToString();
        }

        if (options.UserTokens.TryGetValue(given, out var account))
        {
            context.Items[AccountItem] = account;
        }
        else if (options.Token is { Length: > 0 } token && given != token && context.Request.Path != "/identity")
        {
            return WriteHtmlErrorAsync(context, StatusCodes.Status401Unauthorized);
        }

        return next(context);
    }

    private IResult Container(HttpContext context, JsonObject container)
    {
        var json = context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        var (body, contentType) = PlexAnswerWriter.Render(container, json, lenientJson);
        return Results.Text(body, contentType);
    }

    private static IResult Ok() => Results.Ok();

    private IResult ListSections(HttpContext context)
    {
        var dirs = new JsonArray();
        lock (gate)
        {
            foreach (var s in sections.Values)
            {
                var key = s.Key.ToString(CultureInfo.InvariantCulture);
                dirs.Add(new JsonObject
                {
                    ["allowSync"] = true,
                    ["key"] = key,
                    ["type"] = s.Type,
                    ["title"] = s.Title,
                    ["agent"] = "tv.plex.agents.none",
                    ["scanner"] = "Plex Video Files Scanner",
                    ["language"] = "xn",
                    ["uuid"] = "sim-" + key,
                    ["Location"] = new JsonArray(s.Locations.Select((l, i) => (JsonNode)new JsonObject { ["id"] = i + 1, ["path"] = l }).ToArray()),
                });
            }
        }

        return Container(context, new JsonObject { ["size"] = dirs.Count, ["allowSync"] = false, ["title1"] = "Plex Library", ["Directory"] = dirs });
    }

    private IResult ListItems(HttpContext context, string key)
    {
        var sectionKey = ParseKey(key);
        var (start, size) = Paging(context.Request);
        lock (gate)
        {
            if (!sections.TryGetValue(sectionKey, out var section))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            var alternatives = FileAlternatives(context.Request.Query["file"]);
            var inProgress = context.Request.Query["inProgress"] == "1";
            var all = items.Values.Where(i => i.SectionKey == sectionKey && FileMatches(i, alternatives) && (!inProgress || i.ViewOffset > 0)).ToList();
            var page = all.Skip(start).Take(size < 0 ? int.MaxValue : size).ToList();
            context.Response.Headers["X-Plex-Container-Start"] = start.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Plex-Container-Total-Size"] = all.Count.ToString(CultureInfo.InvariantCulture);
            var container = new JsonObject
            {
                ["size"] = page.Count,
                ["totalSize"] = all.Count,
                ["offset"] = start,
                ["allowSync"] = true,
                ["librarySectionID"] = sectionKey,
                ["librarySectionTitle"] = section.Title,
                ["viewGroup"] = "movie",
                ["Metadata"] = new JsonArray(page.Select(i => (JsonNode)ItemJson(i, listing: true)).ToArray()),
            };
            if (!Answers.TotalSizeInListings)
            {
                container.Remove("totalSize");
            }

            return Container(context, container);
        }
    }

    // On text fields "=" means "contains" and a "," in the value means OR (plex-api-spec, "Media Queries").
    // Plex filters in its SQLite database, where LIKE compares bytes and folds ASCII letters only: "É"
    // does not find "é", and a name stored decomposed (NFD) is not found by its composed form (NFC).
    private static List<byte[]>? FileAlternatives(StringValues filter) =>
        filter.ToString() is { Length: > 0 } wanted ? [.. wanted.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(AsciiLower)] : null;

    // Called under the gate, which guards the cache of each path's folded bytes. No alternatives: no filter.
    private bool FileMatches(LibraryItem item, List<byte[]>? alternatives)
    {
        if (alternatives is null)
        {
            return true;
        }

        return item.Files.Any(f =>
        {
            if (!fileKeys.TryGetValue(f, out var file))
            {
                file = AsciiLower(f);
                fileKeys[f] = file;
            }

            return alternatives.Any(a => file.AsSpan().IndexOf(a) >= 0);
        });
    }

    // UTF-8 bytes with A-Z folded to a-z, as SQLite's LIKE compares them.
    private static byte[] AsciiLower(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is >= (byte)'A' and <= (byte)'Z')
            {
                bytes[i] += 'a' - 'A';
            }
        }

        return bytes;
    }

    // X-Plex-Container-Start/Size come in the query or, as python-plexapi sends them, in headers. No size = all.
    private static (int Start, int Size) Paging(HttpRequest request)
    {
        string Get(string name) => request.Query[name] is { Count: > 0 } q ? q.ToString() : request.Headers[name].ToString();
        var start = int.TryParse(Get("X-Plex-Container-Start"), CultureInfo.InvariantCulture, out var s) ? Math.Max(s, 0) : 0;
        var size = int.TryParse(Get("X-Plex-Container-Size"), CultureInfo.InvariantCulture, out var z) ? Math.Max(z, 0) : -1;
        return (start, size);
    }

    private static int ParseKey(string key) => int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : -1;

    // Listings, like Plex's, carry at most three entries of each tag list and no Field (lock) list.
    private JsonObject ItemJson(LibraryItem item, bool listing)
    {
        var rk = item.RatingKey.ToString(CultureInfo.InvariantCulture);
        var m = new JsonObject
        {
            ["ratingKey"] = rk,
            ["key"] = "/library/metadata/" + rk,
            ["guid"] = "plex://movie/sim" + rk,
            ["type"] = "movie",
            ["title"] = item.Title,
            ["addedAt"] = item.AddedAt,
            ["updatedAt"] = item.UpdatedAt,
            ["thumb"] = $"/library/metadata/{rk}/thumb/{item.UpdatedAt}",
        };
        AddIfSet(m, "titleSort", item.TitleSort);
        AddIfSet(m, "summary", item.Summary);
        AddIfSet(m, "studio", item.Studio);
        AddIfSet(m, "tagline", item.Tagline);
        AddIfSet(m, "originallyAvailableAt", item.OriginallyAvailableAt);
        AddIfSet(m, "contentRating", item.ContentRating);
        if (item.UserRating is { } rating)
        {
            m["userRating"] = rating;
        }

        AddViewState(m, item);
        m["Media"] = new JsonArray(new JsonObject { ["id"] = item.RatingKey, ["duration"] = 60000, ["Part"] = Parts(item) });
        AddTags(m, item, listing);
        if (!listing)
        {
            AddSectionAndLocks(m, item);
        }

        return m;
    }

    private static void AddIfSet(JsonObject m, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            m[name] = value;
        }
    }

    private static JsonArray Parts(LibraryItem item) => new(item.Files.Select((f, i) =>
    {
        var id = (item.RatingKey * 10) + i;
        return (JsonNode)new JsonObject { ["id"] = id, ["key"] = $"/library/parts/{id}/file.mp4", ["file"] = f, ["size"] = 1 << 20, ["container"] = "mp4" };
    }).ToArray());

    private static void AddTags(JsonObject m, LibraryItem item, bool listing)
    {
        foreach (var (kind, element) in TagElements)
        {
            var list = item.Tags.GetValueOrDefault(kind) ?? [];
            var shown = listing ? list.Take(3) : list;
            var entries = shown.Select((t, i) => (JsonNode)new JsonObject { ["id"] = i + 1, ["tag"] = t, ["filter"] = $"{kind}={i + 1}" }).ToArray();
            if (entries.Length > 0)
            {
                m[element] = new JsonArray(entries);
            }
        }
    }

    private void AddSectionAndLocks(JsonObject m, LibraryItem item)
    {
        m["librarySectionID"] = item.SectionKey;
        m["librarySectionKey"] = $"/library/sections/{item.SectionKey}";
        if (sections.TryGetValue(item.SectionKey, out var section))
        {
            m["librarySectionTitle"] = section.Title;
        }

        // Field lists only locked fields; a missing entry means unlocked. The cast is locked with actor.locked.
        var cast = Answers.CastLockName;
        var fields = item.Locked.Select(n => n == "actor" ? cast : n).Order(StringComparer.Ordinal)
            .Select(n => (JsonNode)new JsonObject { ["locked"] = true, ["name"] = n }).ToArray();
        if (fields.Length > 0)
        {
            m["Field"] = new JsonArray(fields);
        }
    }

    // /library/metadata/a,b,c answers the items that exist; 404 when none does (or, with
    // WholeListNotFound, when one is missing).
    private IResult Metadata(HttpContext context, string keys)
    {
        var metadata = new JsonArray();
        var missing = false;
        lock (gate)
        {
            foreach (var key in keys.Split(','))
            {
                if (items.TryGetValue(ParseKey(key), out var item))
                {
                    metadata.Add(ItemJson(item, listing: false));
                }
                else
                {
                    missing = true;
                }
            }
        }

        if (metadata.Count == 0 || (missing && Answers.WholeListNotFound))
        {
            return HtmlError(StatusCodes.Status404NotFound);
        }

        return Container(context, new JsonObject { ["size"] = metadata.Count, ["allowSync"] = true, ["identifier"] = LibraryIdentifier, ["Metadata"] = metadata });
    }

    private IResult Edit(HttpContext context, string key)
    {
        var sectionKey = ParseKey(key);
        var (edit, status) = EditQuery.Parse(context.Request.Query);
        lock (gate)
        {
            // python-plexapi edits several items at once with id=a,b,c.
            var targets = context.Request.Query["id"].ToString().Split(',').Select(k => items.GetValueOrDefault(ParseKey(k))).ToList();
            if (targets.Count == 0 || targets.Any(t => t is null || t.SectionKey != sectionKey))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            if (edit is null)
            {
                return HtmlError(status);
            }

            targets.ForEach(t =>
            {
                edit.Apply(t!, CanonicalTag);
                Touch(t!);
            });
        }

        return Ok();
    }

    private IResult RefreshSection(int key, string? path)
    {
        lock (gate)
        {
            if (!sections.ContainsKey(key))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }
        }

        OnSectionRefresh?.Invoke(key, path);
        return Ok();
    }

    // The agent runs again: unlocked fields get the agent's values (here: the file name as title, nothing else).
    private IResult RefreshItem(string rk)
    {
        lock (gate)
        {
            if (!items.TryGetValue(ParseKey(rk), out var item))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            ResetUnlocked(item);
            Touch(item);
        }

        return Ok();
    }

    private static void ResetUnlocked(LibraryItem item)
    {
        bool Unlocked(string field) => !item.Locked.Contains(field);
        item.Title = Unlocked("title") ? AgentTitle(item.Files.FirstOrDefault() ?? string.Empty) : item.Title;
        item.TitleSort = Unlocked("titleSort") ? null : item.TitleSort;
        item.Summary = Unlocked("summary") ? null : item.Summary;
        item.Studio = Unlocked("studio") ? null : item.Studio;
        item.Tagline = Unlocked("tagline") ? null : item.Tagline;
        item.OriginallyAvailableAt = Unlocked("originallyAvailableAt") ? null : item.OriginallyAvailableAt;
        item.ContentRating = Unlocked("contentRating") ? null : item.ContentRating;
        foreach (var kind in LibraryItem.TagKinds.Where(Unlocked))
        {
            item.Tags.Remove(kind);
        }
    }

    private IResult Rate(string? key, string? identifier, string? rating)
    {
        if (!double.TryParse(rating, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
            identifier != LibraryIdentifier || value < -1 || value > 10)
        {
            return HtmlError(StatusCodes.Status400BadRequest);
        }

        lock (gate)
        {
            if (!items.TryGetValue(ParseKey(key ?? string.Empty), out var item))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            item.UserRating = value == -1 ? null : Answers.StoreRating(value);
        }

        return Ok();
    }

    // The list's JSON key is Answers.PosterListKey.
    private IResult ListPosters(HttpContext context, string rk)
    {
        JsonArray metadata;
        lock (gate)
        {
            if (!items.TryGetValue(ParseKey(rk), out var item))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            metadata = new JsonArray(item.Posters.Select(p => (JsonNode)new JsonObject
            {
                ["key"] = $"/library/metadata/{rk}/file?url={Uri.EscapeDataString(p.RatingKey)}",
                ["ratingKey"] = p.RatingKey,
                ["selected"] = p.Selected,
                ["thumb"] = "/photo/:/transcode?url=" + Uri.EscapeDataString(p.RatingKey),
                ["provider"] = "local",
            }).ToArray());
        }

        return Container(context, new JsonObject { ["size"] = metadata.Count, ["identifier"] = LibraryIdentifier, [Answers.PosterListKey] = metadata });
    }

    // The body becomes a poster named by its SHA-1 and is selected; the same bytes again select the existing entry.
    // With ?url= instead of a body, the entry is named by the URL (not checked against a real server).
    // Choosing a poster locks it, as python-plexapi's poster test suggests (it unlocks after its uploads).
    private async Task<IResult> UploadPosterAsync(HttpContext context, string rk, string? url)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        string key;
        if (body.Length > 0)
        {
#pragma warning disable CA5350 // Plex names uploads by the SHA-1 of their bytes; this is an identifier, not security.
            key = Answers.UploadKey(Convert.ToHexStringLower(SHA1.HashData(body.ToArray())));
#pragma warning restore CA5350
        }
        else if (!string.IsNullOrEmpty(url))
        {
            key = url;
        }
        else
        {
            return HtmlError(StatusCodes.Status400BadRequest);
        }

        lock (gate)
        {
            if (!items.TryGetValue(ParseKey(rk), out var item))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            item.Uploads++;
            ChoosePoster(item, key, add: true);
            Touch(item);
        }

        return Ok();
    }

    private IResult SelectPoster(string rk, string? url)
    {
        lock (gate)
        {
            if (!items.TryGetValue(ParseKey(rk), out var item))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            if (!ChoosePoster(item, url ?? string.Empty, add: false))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            Touch(item);
            return Ok();
        }
    }

    private static bool ChoosePoster(LibraryItem item, string key, bool add)
    {
        var found = item.Posters.Any(p => p.RatingKey == key);
        if (!found && !add)
        {
            return false;
        }

        if (!found)
        {
            item.Posters.Add(new LibraryPoster(key, false));
        }

        for (var i = 0; i < item.Posters.Count; i++)
        {
            item.Posters[i] = item.Posters[i] with { Selected = item.Posters[i].RatingKey == key };
        }

        item.Locked.Add("thumb");
        return true;
    }
}
