namespace Listes360.Grains.Tests;

[CollectionDefinition(Name)]
public sealed class MemoryClusterCollection : ICollectionFixture<MemoryClusterFixture>
{
    public const string Name = "Cluster en mémoire";
}
