using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace Listes360.Api.Hosting;

/// <summary>Where the département's data lives (configuration section <c>Storage</c>): one storage account, four tables.</summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    /// <summary>Azure Storage connection string; the default is Azurite on 127.0.0.1:10002. Ignored when <see cref="ServiceUri"/> is set.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// The table service's address (<c>https://ACCOUNT.table.core.windows.net</c>): when set, the service
    /// signs in with an Entra ID token (managed identity in Azure, <see cref="DefaultAzureCredential"/>
    /// elsewhere) instead of an account key, and <see cref="ConnectionString"/> is not read. What
    /// infra/azure deploys: the account refuses shared keys.
    /// </summary>
    public string? ServiceUri { get; set; }

    /// <summary>Client id of the user-assigned managed identity to sign in with (with <see cref="ServiceUri"/>); empty: the credential chain's default.</summary>
    public string? ManagedIdentityClientId { get; set; }

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

    /// <summary>Whether the service signs in to storage with a token rather than a connection string.</summary>
    public bool UsesTokenCredential => !string.IsNullOrWhiteSpace(ServiceUri);

    /// <summary>The client of the four tables: by token when <see cref="ServiceUri"/> is set, else by connection string.</summary>
    public TableServiceClient CreateServiceClient(TableClientOptions? options = null)
    {
        if (!UsesTokenCredential)
            return new(ConnectionString, options);
        if (!Uri.TryCreate(ServiceUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException(
                $"{Section}:ServiceUri « {ServiceUri} » n'est pas une adresse https absolue du service de tables (https://COMPTE.table.core.windows.net).");
        return new(uri, CreateCredential(), options);
    }

    /// <summary>
    /// The token credential: the user-assigned managed identity named by <see cref="ManagedIdentityClientId"/>
    /// first, then the rest of <see cref="DefaultAzureCredential"/>'s chain (a developer's <c>az login</c>).
    /// </summary>
    public TokenCredential CreateCredential() =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(ManagedIdentityClientId) ? null : ManagedIdentityClientId,
        });
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
    /// start). Loopback by default: a development machine. On several machines, the machine's own address;
    /// <c>auto</c> in a container (<see cref="AutomaticAddress"/>).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The <see cref="AdvertisedAddress"/> meaning: this machine's own IPv4 address, found when the silo starts (containers).</summary>
    public const string AutomaticAddress = "auto";

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
