using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Sequential;

/// <summary>One ESMS of a proposal: modality and half-days of the week.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.ProposalPart")]
public sealed record ProposalPart(
    [property: Id(0)] FinessNumber Finess,
    [property: Id(1)] Modality Modality,
    [property: Id(2)] int HalfDays);

/// <summary>A proposal made: its parts and the candidatures (one per ESMS) it put in OFFERED.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SequentialProposal")]
public sealed record SequentialProposal(
    [property: Id(0)] string Id,
    [property: Id(1)] PersonId Person,
    [property: Id(2)] DateOnly From,
    [property: Id(3)] IReadOnlyList<ProposalPart> Parts,
    [property: Id(4)] IReadOnlyList<CandidatureId> Candidatures,
    [property: Id(5)] DateTimeOffset At,
    [property: Id(6)] string By);
