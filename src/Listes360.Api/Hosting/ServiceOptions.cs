using Azure.Data.Tables;

namespace Listes360.Api.Hosting;

/// <summary>Where the département's data lives (configuration section <c>Storage</c>): one storage account, four tables.</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    /// <summary>Azure Storage connection string; the default is Azurite on 127.0.0.1:10002.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Table holding the grains' state (official Orleans provider).</summary>
    public string TableName { get; set; } = "Listes360GrainState";

    /// <summary>Append-only table of the audit trail.</summary>
    public string AuditTableName { get; set; } = "Listes360Audit";

    /// <summary>Membership table: which silos form the cluster, and where clients find their gateways.</summary>
    public string ClusterTableName { get; set; } = "Listes360Cluster";

    /// <summary>Reminders (the daily pass of each département).</summary>
    public string RemindersTableName { get; set; } = "Listes360Reminders";

    public static StorageSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<StorageSettings>() ?? new StorageSettings();

    public TableServiceClient CreateServiceClient() => new(ConnectionString);
}

/// <summary>
/// How silos find each other and where they listen (configuration section <c>Listes360:Cluster</c>;
/// not <c>Orleans</c>, which Orleans itself reads for its own providers).
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Listes360:Cluster";

    /// <summary>
    /// <c>Localhost</c> (the default): one silo alone, membership in memory (tests, a quick look).
    /// <c>AzureTable</c> (what <c>up</c> and production use): membership in the storage account's
    /// <see cref="StorageSettings.ClusterTableName"/>, any number of silos, clients find gateways there.
    /// </summary>
    public string Membership { get; set; } = "Localhost";

    public string ClusterId { get; set; } = "listes360";
    public string ServiceId { get; set; } = "listes360";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Address other silos and clients reach this silo at (an IP address or a host name resolved at
    /// start). Loopback by default: a development machine. On several machines, the machine's own address.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface (containers, where the advertised address is not the local one) rather than on the advertised address only.</summary>
    public bool ListenOnAnyAddress { get; set; }

    public static ClusterSettings From(IConfiguration configuration)
    {
        if (configuration.GetSection("Orleans:Clustering").Value is { } former && !string.IsNullOrEmpty(former))
            throw new InvalidOperationException(
                $"Le réglage Orleans:Clustering (« {former} ») n'est plus lu par Listes360 : Orleans réserve la section « Orleans » à ses propres fournisseurs. " +
                $"Utilisez {Section}:Membership (Localhost ou AzureTable), voir le README, section « Plusieurs silos ».");
        return configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
    }
}
