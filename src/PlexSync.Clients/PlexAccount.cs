namespace PlexSync.Clients;

/// <summary>A Plex user of the server (GET /accounts): the owner is ID 1.</summary>
public sealed record PlexAccount(string Id, string Name);
