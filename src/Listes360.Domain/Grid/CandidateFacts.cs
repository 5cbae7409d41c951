using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Grid;

/// <summary>A suitable-or-not offer the person declined (OFFERED → DECLINED_BY_PERSON), with its reason.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.DeclinedOffer")]
public sealed record DeclinedOffer(
    [property: Id(0)] CandidatureId Candidature,
    [property: Id(1)] FinessNumber Finess,
    [property: Id(2)] DateOnly On,
    [property: Id(3)] CandidatureReason? Reason);

/// <summary>
/// What a ranking knows of one candidature: the candidature and the person's facts the grid reads,
/// without names (rankings are shown to ESMS directors, identity goes through the person grain).
/// The person grain computes it (<see cref="Of"/>); ranking grains keep every version with the time
/// it was recorded, so that a ranking of a past date reads the facts as they were then.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.CandidateFacts")]
public sealed record CandidateFacts
{
    [Id(0)] public required CandidatureId CandidatureId { get; init; }
    [Id(1)] public required PersonId PersonId { get; init; }
    [Id(2)] public required FinessNumber Finess { get; init; }
    [Id(3)] public required Modality Modality { get; init; }
    [Id(4)] public required KindOfSupport Kind { get; init; }
    [Id(5)] public required DateOnly RequestDate { get; init; }
    [Id(6)] public required CandidatureStatus Status { get; init; }
    /// <summary>Day of the last status change (offer date when OFFERED, admission date when ADMITTED).</summary>
    [Id(7)] public required DateOnly StatusSince { get; init; }
    [Id(8)] public bool WaitingForPreferred { get; init; }
    [Id(9)] public required DateOnly BirthDate { get; init; }
    [Id(10)] public ImmutableArray<Orientation> Orientations { get; init; } = [];
    [Id(11)] public Situation? Situation { get; init; }
    [Id(12)] public ImmutableArray<Carer> Carers { get; init; } = [];
    [Id(13)] public string? ResidenceCommune { get; init; }
    [Id(14)] public string? Territory { get; init; }
    [Id(15)] public UrgencyFlag? Urgency { get; init; }
    /// <summary>Every offer the person declined, in any ESMS (the grid says which reasons count).</summary>
    [Id(16)] public ImmutableArray<DeclinedOffer> DeclinedOffers { get; init; } = [];

    /// <summary>The facts of one of the person's candidatures, from the person grain's state.</summary>
    public static CandidateFacts Of(PersonRecord person, string? territory, Candidature candidature, IEnumerable<Candidature> all)
    {
        var declined = all
            .SelectMany(c => c.History.IsDefault ? [] : c.History.Select(h => (c, h)))
            .Where(x => x.h.Event == CandidatureEvent.StatusChanged && x.h.From == CandidatureStatus.Offered && x.h.To == CandidatureStatus.DeclinedByPerson)
            .Select(x => new DeclinedOffer(x.c.Id, x.c.Finess, DateOnly.FromDateTime(x.h.At.UtcDateTime), x.h.Reason))
            .OrderBy(d => d.On).ThenBy(d => d.Candidature.Value, StringComparer.Ordinal)
            .ToImmutableArray();
        return new CandidateFacts
        {
            CandidatureId = candidature.Id,
            PersonId = person.Id,
            Finess = candidature.Finess,
            Modality = candidature.Modality,
            Kind = candidature.Kind,
            RequestDate = candidature.RequestDate,
            Status = candidature.Status,
            StatusSince = candidature.StatusSince,
            WaitingForPreferred = candidature.WaitingForPreferred,
            BirthDate = person.Identity.BirthDate,
            Orientations = person.Orientations.IsDefault ? [] : person.Orientations,
            Situation = person.Situation,
            Carers = person.Carers.IsDefault ? [] : person.Carers,
            ResidenceCommune = person.Identity.ResidenceCommune,
            Territory = territory,
            Urgency = person.Urgency,
            DeclinedOffers = declined,
        };
    }

    /// <summary>Value equality, arrays included (an <see cref="ImmutableArray{T}"/> compares by reference): an unchanged resend records nothing.</summary>
    public bool Equals(CandidateFacts? other) =>
        other is not null
        && CandidatureId == other.CandidatureId && PersonId == other.PersonId && Finess == other.Finess && Modality == other.Modality
        && Kind == other.Kind && RequestDate == other.RequestDate && Status == other.Status && StatusSince == other.StatusSince
        && WaitingForPreferred == other.WaitingForPreferred && BirthDate == other.BirthDate
        && Seq(Orientations).SequenceEqual(Seq(other.Orientations), OrientationComparer.Instance)
        && Situation == other.Situation && Seq(Carers).SequenceEqual(Seq(other.Carers))
        && ResidenceCommune == other.ResidenceCommune && Territory == other.Territory && Urgency == other.Urgency
        && Seq(DeclinedOffers).SequenceEqual(Seq(other.DeclinedOffers));

    public override int GetHashCode() => HashCode.Combine(CandidatureId, Status, StatusSince, Situation, Urgency);

    private static ImmutableArray<T> Seq<T>(ImmutableArray<T> a) => a.IsDefault ? [] : a;

    private sealed class OrientationComparer : IEqualityComparer<Orientation>
    {
        public static readonly OrientationComparer Instance = new();

        public bool Equals(Orientation? x, Orientation? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.DecisionReference == y.DecisionReference && x.Kind == y.Kind
                && x.ValidFrom == y.ValidFrom && x.ValidTo == y.ValidTo && Seq(x.Modalities).SequenceEqual(Seq(y.Modalities)));

        public int GetHashCode(Orientation o) => HashCode.Combine(o.DecisionReference, o.Kind, o.ValidFrom);
    }
}

/// <summary>One recorded version of a candidature's facts: from <see cref="RecordedOn"/> on, until the next one.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.TimedFacts")]
public sealed record TimedFacts(
    [property: Id(0)] DateOnly RecordedOn,
    [property: Id(1)] CandidateFacts Facts);

public static class FactsHistory
{
    /// <summary>
    /// The facts as they were known at the end of <paramref name="date"/> (the last version recorded on
    /// or before it), <c>null</c> when the candidature was not known yet. <paramref name="versions"/> is in
    /// recording order.
    /// </summary>
    public static CandidateFacts? AsOf(IReadOnlyList<TimedFacts> versions, DateOnly date)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
            if (versions[i].RecordedOn <= date)
                return versions[i].Facts;
        return null;
    }
}
