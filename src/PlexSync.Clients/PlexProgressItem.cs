namespace PlexSync.Clients;

/// <summary>An item the token's user is in the middle of: where they stopped, in milliseconds (Plex's viewOffset).</summary>
public sealed record PlexProgressItem(string RatingKey, IReadOnlyList<string> Files, long ViewOffsetMs);
