using Xunit;

namespace Listes360.Testing;

/// <summary>
/// Base of the one-line collection definition each test assembly declares to share a single
/// <see cref="AzuriteFixture"/> across its test classes (xunit only looks for collection
/// definitions in the test assembly):
/// <code>
/// [CollectionDefinition(AzuriteCollectionDefinition.Name)]
/// public sealed class AzuriteCollection : AzuriteCollectionDefinition;
/// </code>
/// </summary>
public abstract class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
