namespace PlexSync.Operations;

/// <summary>The hook's spool: sync requests waiting for Temporal.</summary>
internal sealed record SpoolStatus(string Path, int Pending);
