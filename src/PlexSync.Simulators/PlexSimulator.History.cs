using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PlexSync.Simulators;

/// <summary>
/// Plex's watch history and what surrounds it: GET /identity (no token), GET /accounts, GET
/// /status/sessions/history/all with its filters (the operator is part of the key: viewedAt&gt;=, viewedAt&lt;=,
/// viewedAt&gt;&gt;=, viewedAt&lt;&lt;=; accountID, librarySectionID, metadataItemID), sort and paging (query or
/// headers, answered with X-Plex-Container-Start and -Total-Size), GET and DELETE of one row, and PUT /:/scrobble,
/// which marks an item watched and writes no history row (plex-api-spec, python-plexapi). The owner's token sees every
/// account's rows, a user's token only its own. A row whose item was deleted keeps its title but has no key,
/// ratingKey or thumb.
/// </summary>
public sealed partial class PlexSimulator
{
    private const string AccountItem = "plexsync.account";
    private const int OwnerAccount = 1;

    private readonly List<PlexHistoryEntry> history = [];
    private readonly SortedDictionary<int, string> accounts = new() { [OwnerAccount] = "owner" };
    private int nextHistoryId = 1000;
    private readonly string fallbackIdentifier = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "0badf00d";
    private int historyPagesServed;

    /// <summary>Gets the server's machineIdentifier.</summary>
    public string MachineIdentifier => options.MachineIdentifier ?? fallbackIdentifier;

    /// <summary>
    /// Gets or sets what runs after each history page is read and before it is answered, with the number of pages
    /// served so far: a test's way to add or delete rows while a client pages.
    /// </summary>
    public Action<int>? OnHistoryRead { get; set; }

    /// <summary>Adds an account (a Plex user of the server) by ID and name.</summary>
    public void AddAccount(int id, string name)
    {
        lock (gate)
        {
            accounts[id] = name;
        }
    }

    /// <summary>
    /// Writes a history row as Plex does when a play crosses the watched threshold, and returns its ID; for the owner,
    /// the item's view count and last-viewed time change and its resume point is cleared.
    /// </summary>
    public int RecordPlay(int ratingKey, long viewedAt, int accountId = OwnerAccount, int deviceId = 1)
    {
        lock (gate)
        {
            if (!items.TryGetValue(ratingKey, out var item))
            {
                throw new KeyNotFoundException($"no Plex item {ratingKey}");
            }

            var entry = new PlexHistoryEntry(++nextHistoryId, ratingKey, item.SectionKey, item.Title, viewedAt, accountId, deviceId);
            history.Add(entry);
            if (accountId == OwnerAccount)
            {
                item.ViewCount++;
                item.LastViewedAt = Math.Max(item.LastViewedAt, viewedAt);
                item.ViewOffset = 0;
            }

            return entry.HistoryId;
        }
    }

    /// <summary>Deletes a history row, as DELETE /status/sessions/history/{id} does; false when there is none.</summary>
    public bool DeleteHistory(int historyId)
    {
        lock (gate)
        {
            return history.RemoveAll(h => h.HistoryId == historyId) > 0;
        }
    }

    /// <summary>A copy of the watch history, oldest row first.</summary>
    public IReadOnlyList<PlexHistoryEntry> History()
    {
        lock (gate)
        {
            return [.. history];
        }
    }

    /// <summary>Sets where the owner stopped watching an item (milliseconds; 0 = not in progress); false when unknown.</summary>
    public bool SetViewOffset(int ratingKey, long milliseconds)
    {
        lock (gate)
        {
            if (!items.TryGetValue(ratingKey, out var item))
            {
                return false;
            }

            item.ViewOffset = milliseconds;
            return true;
        }
    }

    private static void AddViewState(JsonObject m, LibraryItem item)
    {
        if (item.ViewOffset > 0)
        {
            m["viewOffset"] = item.ViewOffset;
        }

        if (item.ViewCount > 0)
        {
            m["viewCount"] = item.ViewCount;
            m["lastViewedAt"] = item.LastViewedAt;
        }
    }

    private void MapHistory(WebApplication web)
    {
        web.MapGet("/identity", Identity);
        web.MapGet("/accounts", Accounts);
        web.MapGet("/status/sessions/history/all", HistoryAll);
        web.MapGet("/status/sessions/history/{id}", HistoryOne);
        web.MapDelete("/status/sessions/history/{id}", DeleteHistoryRow);
        web.MapPut("/:/scrobble", Scrobble);
    }

    private IResult Identity(HttpContext context) => Container(context, new JsonObject
    {
        ["size"] = 0,
        ["claimed"] = true,
        ["machineIdentifier"] = MachineIdentifier,
        ["version"] = "1.41.3.9314-a0bfb8370",
    });

    // Only the owner's token lists the server's accounts.
    private IResult Accounts(HttpContext context)
    {
        if (context.Items.ContainsKey(AccountItem))
        {
            return HtmlError(StatusCodes.Status401Unauthorized);
        }

        JsonArray list;
        lock (gate)
        {
            list = new JsonArray(accounts.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Key,
                ["key"] = $"/accounts/{a.Key}",
                ["name"] = a.Value,
                ["defaultAudioLanguage"] = "en",
                ["autoSelectAudio"] = true,
                ["defaultSubtitleLanguage"] = "",
                ["subtitleMode"] = 0,
                ["thumb"] = "",
            }).ToArray());
        }

        return Container(context, new JsonObject { ["size"] = list.Count, ["identifier"] = "com.plexapp.system.accounts", ["Account"] = list });
    }

    private IResult HistoryAll(HttpContext context)
    {
        var filter = HistoryFilter.Parse(context.Request.Query, context.Items.TryGetValue(AccountItem, out var a) ? (int?)a : null);
        if (filter is null)
        {
            return HtmlError(StatusCodes.Status400BadRequest);
        }

        var (start, size) = Paging(context.Request);
        JsonObject container;
        int served;
        lock (gate)
        {
            var rows = history.Where(filter.Keeps).ToList();
            rows.Sort(filter.Order);
            var page = rows.Skip(start).Take(size < 0 ? int.MaxValue : size).ToList();
            context.Response.Headers["X-Plex-Container-Start"] = start.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["X-Plex-Container-Total-Size"] = rows.Count.ToString(CultureInfo.InvariantCulture);
            container = new JsonObject { ["size"] = page.Count, ["totalSize"] = rows.Count, ["offset"] = start };
            if (page.Count > 0)
            {
                container["Metadata"] = new JsonArray(page.Select(h => (JsonNode)HistoryJson(h)).ToArray());
            }

            served = ++historyPagesServed;
        }

        OnHistoryRead?.Invoke(served);
        return Container(context, container);
    }

    private IResult HistoryOne(HttpContext context, string id)
    {
        lock (gate)
        {
            var entry = history.FirstOrDefault(h => h.HistoryId == ParseKey(id));
            return entry is null
                ? HtmlError(StatusCodes.Status404NotFound)
                : Container(context, new JsonObject { ["size"] = 1, ["Metadata"] = new JsonArray(HistoryJson(entry)) });
        }
    }

    private IResult DeleteHistoryRow(string id) =>
        DeleteHistory(ParseKey(id)) ? Ok() : HtmlError(StatusCodes.Status404NotFound);

    private IResult Scrobble(string? key, string? identifier)
    {
        if (identifier != LibraryIdentifier)
        {
            return HtmlError(StatusCodes.Status400BadRequest);
        }

        lock (gate)
        {
            if (!items.TryGetValue(ParseKey(key ?? ""), out var item))
            {
                return HtmlError(StatusCodes.Status404NotFound);
            }

            item.ViewCount++;
            item.LastViewedAt = Now();
            item.ViewOffset = 0;
            return Ok();
        }
    }

    // Called under the gate.
    private JsonObject HistoryJson(PlexHistoryEntry h)
    {
        var row = new JsonObject { ["historyKey"] = $"/status/sessions/history/{h.HistoryId}" };
        if (items.TryGetValue(h.RatingKey, out var item))
        {
            var rk = h.RatingKey.ToString(CultureInfo.InvariantCulture);
            row["key"] = "/library/metadata/" + rk;
            row["ratingKey"] = rk;
            row["thumb"] = $"/library/metadata/{rk}/thumb/{item.UpdatedAt}";
            AddIfSet(row, "originallyAvailableAt", item.OriginallyAvailableAt);
        }

        row["librarySectionID"] = h.SectionKey.ToString(CultureInfo.InvariantCulture);
        row["title"] = h.Title;
        row["type"] = "movie";
        row["viewedAt"] = h.ViewedAt;
        row["accountID"] = h.AccountId;
        row["deviceID"] = h.DeviceId;
        return row;
    }

    /// <summary>The filters, visibility and order of one history request.</summary>
    private sealed class HistoryFilter
    {
        private readonly List<Func<PlexHistoryEntry, bool>> tests = [];
        private readonly List<Comparison<PlexHistoryEntry>> order = [];

        public bool Keeps(PlexHistoryEntry entry) => tests.All(t => t(entry));

        public int Order(PlexHistoryEntry a, PlexHistoryEntry b)
        {
            foreach (var compare in order)
            {
                var c = compare(a, b);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.HistoryId.CompareTo(b.HistoryId);
        }

        // Null when a value cannot be read (Plex answers 400).
        public static HistoryFilter? Parse(IQueryCollection query, int? ownAccount)
        {
            var filter = new HistoryFilter();
            if (ownAccount is { } own)
            {
                filter.tests.Add(h => h.AccountId == own);
            }

            foreach (var (key, values) in query)
            {
                if (key == "sort")
                {
                    if (!filter.AddSort(values.ToString()))
                    {
                        return null;
                    }

                    continue;
                }

                Func<PlexHistoryEntry, long>? field = FieldOf(key.TrimEnd('>', '<', '!'));
                if (field is null)
                {
                    continue; // Plex ignores what it does not know
                }

                if (!long.TryParse(values.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    return null;
                }

                Func<long, bool>? compare = key[key.TrimEnd('>', '<', '!').Length..] switch
                {
                    "" => v => v == value,
                    "!" => v => v != value,
                    ">" => v => v >= value,
                    "<" => v => v <= value,
                    ">>" => v => v > value,
                    "<<" => v => v < value,
                    _ => null,
                };
                if (compare is null)
                {
                    return null;
                }

                filter.tests.Add(h => compare(field(h)));
            }

            return filter;
        }

        private static Func<PlexHistoryEntry, long>? FieldOf(string name) => name switch
        {
            "viewedAt" => h => h.ViewedAt,
            "accountID" => h => h.AccountId,
            "librarySectionID" => h => h.SectionKey,
            "metadataItemID" => h => h.RatingKey,
            "id" => h => h.HistoryId,
            _ => null,
        };

        private bool AddSort(string sort)
        {
            foreach (var part in sort.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var (name, direction) = part.Split(':') is [var n, var d] ? (n, d) : (part, "asc");
                var field = name == "metadataItemID" ? null : FieldOf(name);
                if (field is null || direction is not ("asc" or "desc"))
                {
                    return false;
                }

                var sign = direction == "desc" ? -1 : 1;
                order.Add((a, b) => sign * field(a).CompareTo(field(b)));
            }

            return true;
        }
    }
}
