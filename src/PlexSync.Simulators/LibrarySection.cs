namespace PlexSync.Simulators;

/// <summary>A library section.</summary>
public sealed record LibrarySection(int Key, string Title, string Type, IReadOnlyList<string> Locations);
