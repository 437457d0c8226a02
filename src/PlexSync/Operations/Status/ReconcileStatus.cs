using PlexSync.Workflows;

namespace PlexSync.Operations;

/// <summary>Whether a reconciliation runs and, when its progress query answers, how far it is.</summary>
internal sealed record ReconcileStatus(bool Running, ReconcileProgress? Progress, string? ProgressError);
