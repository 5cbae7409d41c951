using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Data.Tables.Sas;

namespace Listes360.AzureStorage.Connection;

/// <summary>
/// The table client of a storage connection string. When the string holds an account key (Azurite, a
/// development account), requests are signed with an account SAS the client derives from the key and renews
/// itself, instead of the key: the SDK's shared-key signing creates one HMAC object per request and never
/// disposes it, and their finalization took about a quarter of the silo's processor time during an import
/// (bench/results/onboarding.md). Production signs in with an Entra ID token and never takes this path.
/// </summary>
public static class TableClients
{
    /// <summary>How long one signature is valid; it is renewed when half of it has passed.</summary>
    public static readonly TimeSpan SasLifetime = TimeSpan.FromHours(24);

    public static TableServiceClient FromConnectionString(string connectionString, TableClientOptions? options = null, TimeProvider? clock = null)
    {
        var keyed = new TableServiceClient(connectionString, options);
        SasRenewal renewal;
        try
        {
            renewal = new SasRenewal(keyed, clock ?? TimeProvider.System);
        }
        catch (InvalidOperationException)
        {
            // No account key in the string (a SAS already): nothing to sign with.
            return keyed;
        }
        options ??= new TableClientOptions();
        options.AddPolicy(renewal, HttpPipelinePosition.PerCall);
        return new TableServiceClient(keyed.Uri, renewal.Credential, options);
    }

    /// <summary>Keeps the credential's signature valid: a new one before each request once the current one is half spent.</summary>
    internal sealed class SasRenewal : HttpPipelineSynchronousPolicy
    {
        private readonly TableServiceClient keyed;
        private readonly TimeProvider clock;
        private readonly Lock gate = new();
        private DateTimeOffset renewAt;

        public SasRenewal(TableServiceClient keyed, TimeProvider clock)
        {
            this.keyed = keyed;
            this.clock = clock;
            Credential = new AzureSasCredential(Sign(out renewAt));
        }

        public AzureSasCredential Credential { get; }

        public override void OnSendingRequest(HttpMessage message)
        {
            if (clock.GetUtcNow() < renewAt)
                return;
            lock (gate)
            {
                if (clock.GetUtcNow() >= renewAt)
                    Credential.Update(Sign(out renewAt));
            }
        }

        private string Sign(out DateTimeOffset renewal)
        {
            var now = clock.GetUtcNow();
            renewal = now + SasLifetime / 2;
            var builder = new TableAccountSasBuilder(TableAccountSasPermissions.All, TableAccountSasResourceTypes.All, now + SasLifetime)
            {
                // The storage server's clock may be a little behind ours.
                StartsOn = now.AddMinutes(-15),
                Protocol = TableSasProtocol.HttpsAndHttp,
            };
            return keyed.GenerateSasUri(builder).Query.TrimStart('?');
        }
    }
}
