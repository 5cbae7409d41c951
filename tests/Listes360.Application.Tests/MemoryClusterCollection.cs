namespace Listes360.Application.Tests;

[CollectionDefinition(Name)]
public sealed class MemoryClusterCollection : ICollectionFixture<MemoryClusterFixture>
{
    public const string Name = "Cluster en mémoire";
}
