using Listes360.Testing;

namespace Listes360.AzureStorage.Tests;

/// <summary>One Azurite for every test class of this assembly (each test uses its own table).</summary>
[CollectionDefinition(AzuriteCollectionDefinition.Name)]
public sealed class AzuriteCollection : AzuriteCollectionDefinition;
