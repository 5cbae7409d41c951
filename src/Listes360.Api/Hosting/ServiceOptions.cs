namespace Listes360.Api.Hosting;

/// <summary>Where the département's data lives (configuration section <c>Storage</c>).</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    /// <summary>Azure Storage connection string; the default is Azurite on 127.0.0.1:10002.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Table holding the grains' state.</summary>
    public string TableName { get; set; } = "Listes360Grains";

    /// <summary>Append-only table of the audit trail.</summary>
    public string AuditTableName { get; set; } = "Listes360Audit";
}

/// <summary>How silos find each other (configuration section <c>Orleans</c>).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Orleans";

    /// <summary><c>Localhost</c> (one machine, the default) or <c>Redis</c> (several silos).</summary>
    public string Clustering { get; set; } = "Localhost";

    /// <summary>Redis connection string when <see cref="Clustering"/> is <c>Redis</c>.</summary>
    public string? RedisConnectionString { get; set; }

    public string ClusterId { get; set; } = "listes360";
    public string ServiceId { get; set; } = "listes360";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
}
