namespace PlexSync.Simulators;

/// <summary>
/// Misbehaviour of one GraphQL root field (e.g. "sceneAddPlay"): every <see cref="Every"/>-th request naming it is
/// applied, then its answer replaced, as when Stash committed the change and the answer was lost on the way back.
/// </summary>
public sealed record StashFieldFault
{
    /// <summary>Gets the root field whose requests misbehave.</summary>
    public required string Field { get; init; }

    /// <summary>Gets which requests of the field: 3 = the 3rd, 6th, 9th ... counted from when the simulator started.</summary>
    public int Every { get; init; } = 1;

    /// <summary>Gets how many requests misbehave before the rule stops; 0 = until cleared.</summary>
    public int Times { get; init; }

    /// <summary>Gets a value indicating whether the request is applied before the answer is replaced; false fails it unapplied.</summary>
    public bool ApplyFirst { get; init; } = true;

    /// <summary>Gets the status answered instead (with an HTML page, as a proxy in front of Stash would); 0 answers normally.</summary>
    public int Status { get; init; } = 503;

    /// <summary>Gets a value indicating whether the connection is aborted instead of answered.</summary>
    public bool Drop { get; init; }

    /// <summary>
    /// Gets how long the request is held before it is applied; it is applied even when the client gave up meanwhile,
    /// as a request a proxy queued would be.
    /// </summary>
    public TimeSpan ApplyAfter { get; init; }
}
