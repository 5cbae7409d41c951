using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Orleans.Storage;

namespace Listes360.Storage.AzureTables;

/// <summary>Options of one named Azure Table grain storage provider.</summary>
public sealed partial class AzureTableGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>Azure Storage connection string (Azurite's in development and tests).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The table that holds the grain states of this provider.</summary>
    public string TableName { get; set; } = "GrainState";

    /// <summary>Creates the table at silo start when it does not exist.</summary>
    public bool CreateTableIfNotExists { get; set; } = true;

    /// <summary>Serializer of the grain states; Orleans' configured grain storage serializer when null.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>
    /// Throws <see cref="OrleansConfigurationException"/> naming the provider and the faulty option,
    /// so a misconfigured silo fails at start rather than at a grain's first read.
    /// </summary>
    internal void Validate(string providerName)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw Invalid(providerName, $"{nameof(ConnectionString)} is empty.");
        }
        if (!TableNamePattern().IsMatch(TableName ?? "") || string.Equals(TableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(providerName,
                $"{nameof(TableName)} '{TableName}' is not a valid Azure table name (3 to 63 letters or digits, starting with a letter, not 'tables').");
        }
        if (GrainStorageSerializer is null)
        {
            throw Invalid(providerName, $"{nameof(GrainStorageSerializer)} is not set and no default grain storage serializer is registered.");
        }
    }

    internal TableClient CreateTableClient(string providerName)
    {
        try
        {
            return new TableServiceClient(ConnectionString).GetTableClient(TableName);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new OrleansConfigurationException(
                $"Azure Table grain storage '{providerName}': {nameof(ConnectionString)} is not a valid Azure Storage connection string ({e.Message}).", e);
        }
    }

    private static OrleansConfigurationException Invalid(string providerName, string reason) =>
        new($"Azure Table grain storage '{providerName}': {reason}");

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
