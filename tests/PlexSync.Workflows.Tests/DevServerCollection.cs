namespace PlexSync.Workflows.Tests;

[CollectionDefinition(Name)]
public sealed class DevServerCollection : ICollectionFixture<DevServerFixture>
{
    public const string Name = "Temporal dev server";
}
