namespace PlexSync.FaultTests;

/// <summary>The dev server the scenarios share (one per run); each scenario has its own task queue and scene IDs.</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<DevServerFixture>
{
    public const string Name = "Fault suite";
}
