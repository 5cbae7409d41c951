using Listes360.Testing;

namespace Listes360.Storage.AzureTables.Tests;

/// <summary>One Azurite for every test class of this assembly (each test uses its own table).</summary>
[CollectionDefinition(AzuriteCollectionDefinition.Name)]
public sealed class AzuriteCollection : AzuriteCollectionDefinition;
