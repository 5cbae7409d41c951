using Listes360.Api.Security;
using Listes360.Domain.Security;
using Task = System.Threading.Tasks.Task;

namespace Listes360.Fhir.Tests;

/// <summary>
/// Two running Listes360 hosts, each with its own Azurite, silo and signing key (nothing shared but the
/// test process): <see cref="SiSdo"/> listens on 127.0.0.1 and plays the SI-SDO; <see cref="Si"/> is the
/// département's SI, its <c>SdoClient</c> section pointing at <see cref="SiSdo"/>'s <c>/fhir</c> with a
/// token the SI-SDO minted for the département's software: role esms-director, the FINESS of the
/// département's ESMS it reports (<see cref="Finess"/>), as an ESMS's software has one from the SI-SDO.
/// </summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    /// <summary>The ESMS both hosts know (same FINESS): the ones the SI reports for.</summary>
    public string[] Finess { get; } = [FhirFixture.NewFiness(), FhirFixture.NewFiness()];

    public FhirFixture SiSdo { get; } = new ListeningHost();

    public FhirFixture Si { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await SiSdo.InitializeAsync();
        var token = DevTokens.Mint(SiSdo.Auth, "SI du département 61 (Listes360)", Role.EsmsDirector, Finess, department: "61", territory: null, TimeSpan.FromHours(2));
        Si = new SiHost(new Dictionary<string, string?>
        {
            ["SdoClient:Enabled"] = "true",
            ["SdoClient:BaseUrl"] = SiSdo.BaseAddress + "/fhir",
            ["SdoClient:Token"] = token,
            ["SdoClient:Departments:0"] = "61",
            ["SdoClient:TickSeconds"] = "0.3",
            ["SdoClient:PollSeconds"] = "1",
            ["SdoClient:FirstRetrySeconds"] = "0.5",
            ["SdoClient:MaxRetrySeconds"] = "2",
            ["SdoClient:TimeoutSeconds"] = "20",
        });
        await Si.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (Si is not null)
            await Si.DisposeAsync();
        await SiSdo.DisposeAsync();
    }

    private sealed class ListeningHost : FhirFixture
    {
        protected override bool ListensOnLoopback => true;
    }

    private sealed class SiHost(IReadOnlyDictionary<string, string?> settings) : FhirFixture
    {
        protected override Task<IReadOnlyDictionary<string, string?>> MoreSettingsAsync() => Task.FromResult(settings);
    }
}
