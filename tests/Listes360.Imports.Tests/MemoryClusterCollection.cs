namespace Listes360.Imports.Tests;

[CollectionDefinition(Name)]
public sealed class MemoryClusterCollection : ICollectionFixture<MemoryClusterFixture>
{
    public const string Name = "Cluster en mémoire";
}
