using Listes360.Api.Hosting;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Listes360.Domain.Time;

namespace Listes360.Api.Tests;

/// <summary>
/// A silo killed without warning loses nothing it acknowledged: the production wiring
/// (<see cref="SiloConfiguration.ConfigureGrains"/>) on a real Azurite, in a TestingHost cluster.
/// </summary>
public sealed class KillAndRestartTests : IClassFixture<AzuriteFixture>
{
    private const string ConnectionKey = "Storage:ConnectionString";
    private const string TableKey = "Storage:TableName";
    private readonly AzuriteFixture _azurite;
    private readonly string _table = AzuriteFixture.UniqueTableName("kill");

    public KillAndRestartTests(AzuriteFixture azurite) => _azurite = azurite;

    private sealed class ProductionWiring : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => SiloConfiguration.ConfigureGrains(siloBuilder, siloBuilder.Configuration);
    }

    private async Task<TestCluster> StartAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[ConnectionKey] = _azurite.ConnectionString;
        builder.Properties[TableKey] = _table;
        builder.Properties["Storage:AuditTableName"] = _table + "audit";
        builder.AddSiloBuilderConfigurator<ProductionWiring>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    [Fact]
    public async Task Everything_acknowledged_before_a_kill_is_there_after_a_restart()
    {
        using var acting = CallerContext.As(new Caller("admin", Role.Admin, [], "61", null));
        var today = ParisDate.Today(TimeProvider.System);
        var finess = new[] { "610000705", "610000713", "610000721" };
        var personId = PersonId.New("61");

        var cluster = await StartAsync();
        foreach (var f in finess)
        {
            var esms = cluster.GrainFactory.GetGrain<IEsmsGrain>(f);
            await esms.RegisterAsync(new EsmsRegistrationRequest(f, "MAS " + f, "255").ToProfile(), "admin");
            await esms.SetPlacesAsync(Modality.Residential, 40, 39, today, "admin");
        }
        var person = cluster.GrainFactory.GetGrain<IPersonGrain>(personId.Value);
        await person.CreateAsync(PersonIdentity.Create("Lebrun", ["Paul"], new DateOnly(1988, 5, 6), Sex.Male, today), null, null, true, "admin");
        await person.AddOrientationAsync(Orientation.Create("CDAPH-K", KindOfSupport.Mas, new DateOnly(2025, 1, 1), null), "admin");
        var candidatures = new List<Candidature>();
        foreach (var f in finess)
            candidatures.Add(await person.CreateCandidatureAsync(FinessNumber.Parse(f), Modality.Residential, today, "admin"));
        foreach (var status in new[] { CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered, CandidatureStatus.Admitted })
            await person.ChangeCandidatureStatusAsync(candidatures[0].Id, status, null, "admin");

        await cluster.KillSiloAsync(cluster.Primary!);
        await cluster.DisposeAsync();

        var restarted = await StartAsync();
        try
        {
            var read = (await restarted.GrainFactory.GetGrain<IPersonGrain>(personId.Value).GetAsync())!;
            Assert.Equal("Lebrun", read.Record.Identity.BirthName);
            Assert.Equal(CandidatureStatus.Admitted, read.Candidatures.Single(c => c.Id == candidatures[0].Id).Status);
            Assert.Equal(2, read.Candidatures.Count(c => c.Status == CandidatureStatus.SolutionFoundElsewhere));
            foreach (var f in finess)
            {
                var esms = restarted.GrainFactory.GetGrain<IEsmsGrain>(f);
                Assert.Equal(39, (await esms.GetAsync())!.Places.Single().Occupied);
                var view = (await esms.GetCandidaturesAsync(false, null, 10)).Items.Single();
                Assert.Equal(read.Candidatures.Single(c => c.Finess.Value == f).Status, view.Status);
            }
        }
        finally
        {
            await restarted.DisposeAsync();
        }
    }
}
