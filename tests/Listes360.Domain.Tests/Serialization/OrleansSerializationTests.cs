using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Territories;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Serialization;

/// <summary>The state types round-trip through Orleans' serializer, so grains can persist them.</summary>
public class OrleansSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void Candidature_with_history()
    {
        var c = CandidatureStateMachine.SetWaitingForPreferred(Candidature(id: "C-ser").At(CandidatureStatus.Offered), true, Now, Staff);
        var back = RoundTrip(c);
        Assert.Equal(c.Id, back.Id);
        Assert.Equal(c.Status, back.Status);
        Assert.Equal(c.Version, back.Version);
        Assert.True(back.WaitingForPreferred);
        Assert.Equal(c.History.ToArray(), back.History.ToArray());
    }

    [Fact]
    public void Person_record()
    {
        var person = Person(new DateOnly(2010, 2, 28), Orientation(KindOfSupport.Ime, modalities: Modality.SemiResidential)) with
        {
            Situation = new Situation { Kind = SituationKind.InChildrenEsms, Since = Today, Esms = ImeFiness },
            Carers = [Carer.FromDeclaredAge(CarerRelationship.Parent, 70, Today, CarerStatus.Exhausted)],
        };
        var back = RoundTrip(person);
        Assert.Equal(person.Id, back.Id);
        Assert.Equal(person.Identity.FirstNames.ToArray(), back.Identity.FirstNames.ToArray());
        Assert.Equal(person.Identity with { FirstNames = back.Identity.FirstNames }, back.Identity);
        Assert.Equal(person.Orientations[0] with { Modalities = back.Orientations[0].Modalities }, back.Orientations[0]);
        Assert.Equal(person.Orientations[0].Modalities.ToArray(), back.Orientations[0].Modalities.ToArray());
        Assert.Equal(person.Situation, back.Situation);
        Assert.Equal(person.Carers.ToArray(), back.Carers.ToArray());
    }

    [Fact]
    public void Esms_profile_and_reference_records()
    {
        var profile = OrneReferenceData.Esms[0].ToProfile("246100663");
        var back = RoundTrip(profile);
        Assert.Equal(profile.Modalities.ToArray(), back.Modalities.ToArray());
        Assert.Equal(profile with { Modalities = back.Modalities }, back);
        Assert.Equal(OrneReferenceData.Esms[5], RoundTrip(OrneReferenceData.Esms[5]));
        var commune = TerritoryDirectory.FromEmbedded("61").CommuneByInseeCode("61001")!;
        Assert.Equal(commune.Postcodes, RoundTrip(commune).Postcodes);
    }

    [Fact]
    public void Waiting_shard()
    {
        var id = PersonId.Parse("61-a");
        var counts = WaitingProjection.ContributionOf(id, new PersonContext("246100663", null), [Candidature(person: "61-a")]);
        var shard = WaitingShard.Create(0, 1).Apply(id, 4, counts);
        var back = RoundTrip(shard);
        Assert.Equal(shard.Totals, back.Totals);
        Assert.Equal(4, back.Contributions[id].Version);
        Assert.Equal(counts, back.Contributions[id].Counts);
    }

    [Fact]
    public void Reconcile_pass_mid_shard_and_finished()
    {
        var running = Listes360.Domain.Maintenance.ReconcilePass.Start(Now, 16).Prepare(false, 20_000)
            .Advance([PersonId.Parse("61-a"), PersonId.Parse("61-b")], 1, 2, Now.AddSeconds(3));
        Assert.Equal(running, RoundTrip(running));
        var done = Listes360.Domain.Maintenance.ReconcilePass.Start(Now, 1).Advance([], 0, 2, Now.AddMinutes(4));
        Assert.Equal(done, RoundTrip(done));
    }

    [Fact]
    public void Domain_exception()
    {
        var back = RoundTrip(new DomainException("FORBIDDEN_TRANSITION", "Passage interdit.", "status"));
        Assert.Equal("FORBIDDEN_TRANSITION", back.Code);
        Assert.Equal("status", back.Field);
    }
}
