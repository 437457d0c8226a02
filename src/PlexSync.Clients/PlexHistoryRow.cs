namespace PlexSync.Clients;

/// <summary>One row of Plex's watch history: a view of an item by an account that crossed the watched threshold.</summary>
/// <param name="HistoryId">The row's ID on its server (from historyKey /status/sessions/history/{id}).</param>
/// <param name="ViewedAt">When, in Unix seconds.</param>
/// <param name="AccountId">Who; "1" is the server owner.</param>
/// <param name="DeviceId">On which device.</param>
/// <param name="RatingKey">The item; empty when the item was deleted since (Plex then sends no key and no ratingKey).</param>
/// <param name="SectionId">The item's library section; empty when Plex sent none.</param>
/// <param name="Title">The item's title.</param>
public sealed record PlexHistoryRow(long HistoryId, long ViewedAt, string AccountId, string DeviceId, string RatingKey, string SectionId, string Title);
