namespace PlexSync.Simulators;

/// <summary>One row of Plex's watch history: written when a play of an item by an account crossed the watched threshold.</summary>
/// <param name="HistoryId">The row's ID, as in its historyKey /status/sessions/history/{id}; IDs only grow.</param>
/// <param name="RatingKey">The item played; it may have been deleted since.</param>
/// <param name="SectionKey">The item's library section when played.</param>
/// <param name="Title">The item's title when played.</param>
/// <param name="ViewedAt">When, in Unix seconds.</param>
/// <param name="AccountId">Who: 1 is the server owner.</param>
/// <param name="DeviceId">On which device.</param>
public sealed record PlexHistoryEntry(int HistoryId, int RatingKey, int SectionKey, string Title, long ViewedAt, int AccountId, int DeviceId);
