using Orleans.Storage;

namespace Listes360.Storage.AzureTables;

/// <summary>Options of one named Azure Table grain storage provider.</summary>
public sealed class AzureTableGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Azure Storage connection string (Azurite's in development and tests).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The table that holds the grain states of this provider.</summary>
    public string TableName { get; set; } = "GrainState";

    /// <summary>Creates the table at silo start when it does not exist.</summary>
    public bool CreateTableIfNotExists { get; set; } = true;

    /// <summary>Serializer of the grain states; Orleans' configured grain storage serializer when null.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
