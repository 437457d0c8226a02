namespace PlexSync.Clients;

/// <summary>What a play mutation answers: the scene's play count and all its play times after the change, newest first.</summary>
public sealed record PlayHistory(int Count, IReadOnlyList<DateTimeOffset> History);
