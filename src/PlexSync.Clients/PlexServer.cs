namespace PlexSync.Clients;

/// <summary>A Plex Media Server as GET /identity names it: its machineIdentifier is the same for as long as the server lives.</summary>
public sealed record PlexServer(string MachineIdentifier, string Version);
