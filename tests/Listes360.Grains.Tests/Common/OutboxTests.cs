using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Listes360.Grains.Tests.Common;

/// <summary>The one outbox: keyed (the latest effect of a key replaces the older and goes last), bounded, stored with the state.</summary>
public sealed class OutboxTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static Candidature Candidature(string id) =>
        Domain.Candidatures.Candidature.Create(CandidatureId.Parse(id), PersonId.Parse("61-outbox"), FinessNumber.Parse("610000010"),
            Modality.SemiResidential, KindOfSupport.Ime, new DateOnly(2026, 1, 1), Now, "staff");

    [Fact]
    public void A_newer_effect_replaces_the_pending_one_of_its_key_and_goes_last()
    {
        var outbox = new Outbox<string>();
        outbox.Put("a", "a1");
        outbox.Put("b", "b1");
        outbox.Put("a", "a2");
        Assert.Equal(["b1", "a2"], outbox.Items.Select(i => i.Effect).ToArray());
        outbox.Remove("b");
        Assert.Equal("a2", Assert.Single(outbox.Items).Effect);
    }

    [Fact]
    public void The_outbox_is_bounded_and_says_so_in_french()
    {
        var outbox = new Outbox<int>();
        for (var i = 0; i < Outbox<int>.MaxItems; i++)
            outbox.Put($"k{i}", i);
        outbox.Put("k0", -1); // a replacement still fits
        var refusal = Assert.Throws<DomainException>(() => outbox.Put("one-more", 0));
        Assert.Equal(StateWrites.LimitReachedCode, refusal.Code);
        Assert.StartsWith($"Modification refusée : {Outbox<int>.MaxItems} envois sont déjà en attente de livraison", refusal.Message);
    }

    [Fact]
    public void A_person_state_with_its_pending_effects_round_trips_through_the_serializer()
    {
        var state = new PersonState();
        var candidature = Candidature("C-out-1");
        state.Pending.Put(CandidatureToEsms.EsmsKey(candidature.Id), new CandidatureToEsms(candidature));
        state.Pending.Put("release/S-1/610000010", new PlacesToRelease("S-1", FinessNumber.Parse("610000010")));
        var back = Serializer.Deserialize<PersonState>(Serializer.SerializeToArray(state))!;
        Assert.Collection(back.Pending.Items,
            i => Assert.Equal(candidature.Id, Assert.IsType<CandidatureToEsms>(i.Effect).Candidature.Id),
            i => Assert.Equal(new PlacesToRelease("S-1", FinessNumber.Parse("610000010")), i.Effect));
    }

    [Fact]
    public void A_row_of_the_first_shape_with_undelivered_outboxes_is_migrated_into_the_one_outbox()
    {
        // What an activation does with such a row: the legacy outboxes are dropped and the whole file is sent again.
        var candidature = Candidature("C-out-2");
        var old = new PersonState
        {
            Record = new PersonRecord
            {
                Id = PersonId.Parse("61-outbox"),
                Identity = PersonIdentity.Create("ANCIEN", ["Rang"], new DateOnly(2015, 1, 1), Sex.Female, new DateOnly(2026, 11, 23)),
            },
            Candidatures = new() { [candidature.Id.Value] = candidature },
            Version = 7,
            LegacyOutbox = new() { [candidature.Id.Value] = EsmsCandidatureView.Of(candidature) },
            LegacyCountsPending = true,
        };
        var stored = Serializer.Deserialize<PersonState>(Serializer.SerializeToArray(old))!;
        Assert.True(stored.HasLegacyOutbox);
        stored.ClearLegacyOutbox();
        stored.Take(stored.ToFile(PersonId.Parse("61-outbox")).Reconcile(new PersonFileContext(new DateOnly(2026, 11, 23), Now)));
        Assert.False(stored.HasLegacyOutbox);
        Assert.Equal(8, stored.Version);
        Assert.Contains(stored.Pending.Items, i => i.Effect is CandidatureToEsms e && e.Candidature.Id == candidature.Id);
        Assert.Contains(stored.Pending.Items, i => i.Effect is ProjectionsOfVersion { Version: 8 });
    }
}
