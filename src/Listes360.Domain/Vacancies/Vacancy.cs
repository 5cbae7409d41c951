using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Vacancies;

/// <summary>Why a place is free. Numeric values are persisted: never renumber.</summary>
public enum VacancyOrigin
{
    /// <summary>The director declared places with vacancies &gt; 0.</summary>
    PlacesDeclared = 1,
    /// <summary>A person left the ESMS (recorded with its reason).</summary>
    Exit = 2,
    /// <summary>A person of this ESMS was admitted in another ESMS: a link of a vacancy chain.</summary>
    AdmissionElsewhere = 3,
}

/// <summary>Why a person left an ESMS. Numeric values are persisted: never renumber.</summary>
public enum ExitReason
{
    AdmittedElsewhere = 1,
    ReturnHome = 2,
    Moved = 3,
    Deceased = 4,
    Hospitalised = 5,
    EndOfSupport = 6,
    Other = 99,
}

/// <summary>Where a vacancy stands. Numeric values are persisted: never renumber.</summary>
public enum VacancyStatus
{
    /// <summary>Free, no offer pending: the director offers it to a proposed candidate.</summary>
    Open = 1,
    /// <summary>Offered to one candidate, whose answer is awaited.</summary>
    Offered = 2,
    /// <summary>Closed by an admission.</summary>
    Filled = 3,
    /// <summary>Withdrawn with a reason (place closed, declared by mistake…).</summary>
    Withdrawn = 4,
}

/// <summary>How an offer of a vacancy ended. Numeric values are persisted: never renumber.</summary>
public enum OfferOutcome
{
    Pending = 1,
    Admitted = 2,
    /// <summary>The person declined (DECLINED_BY_PERSON, with its reason).</summary>
    Declined = 3,
    /// <summary>The answer deadline passed; the candidature went back to the waiting list.</summary>
    Expired = 4,
    /// <summary>The offer ended otherwise (back to the list before the deadline, refused by the ESMS, withdrawn, orientation ended).</summary>
    Ended = 5,
}

/// <summary>A vacancy's id: <c>V-</c>, the FINESS, and a suffix; letters, digits and <c>-</c>.</summary>
public static class VacancyIds
{
    public static string ForPlaces(FinessNumber finess, Modality modality, int sequence) => $"V-{finess.Value}-{(int)modality}-{sequence}";

    /// <summary>One id per admission elsewhere: the same exit delivered twice opens one vacancy.</summary>
    public static string ForAdmissionElsewhere(FinessNumber finess, CandidatureId admitted) => $"V-{finess.Value}-A-{admitted.Value}";

    public static string ForExit(FinessNumber finess, Modality modality, int sequence) => $"V-{finess.Value}-{(int)modality}-S{sequence}";

    /// <summary>The ESMS of a vacancy id (the grain that holds it), or a French refusal.</summary>
    public static FinessNumber FinessOf(string? id)
    {
        var parts = (id ?? "").Split('-');
        if (parts.Length < 3 || parts[0] != "V" || !FinessNumber.TryParse(parts[1], out var finess, out _) || id!.Length > 120)
            throw new DomainException("INVALID_VACANCY_ID", $"« {id} » n'est pas un identifiant de place libérée (forme attendue : V-<FINESS>-…).", "vacancyId");
        return finess;
    }
}

/// <summary>The admission elsewhere that freed this place, and the chain it belongs to (no names: ids only).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.ChainLink")]
public sealed record ChainLink
{
    /// <summary>The candidature admitted in the other ESMS.</summary>
    [Id(0)] public required CandidatureId AdmittedCandidature { get; init; }
    [Id(1)] public required FinessNumber AdmittingFiness { get; init; }
    /// <summary>The vacancy of the other ESMS that admission filled, when it went through one.</summary>
    [Id(2)] public string? PreviousVacancy { get; init; }
    /// <summary>The first vacancy of the chain (this one when it starts it).</summary>
    [Id(3)] public required string Root { get; init; }
    /// <summary>1 for the first vacancy of a chain, 2 for the one it freed, …</summary>
    [Id(4)] public required int Index { get; init; }
    /// <summary>The day the chain's first vacancy opened.</summary>
    [Id(5)] public required DateOnly RootOpenedOn { get; init; }
}

/// <summary>One candidate proposed for a vacancy: their place in the ranking, points and breakdown.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.ProposedCandidate")]
public sealed record ProposedCandidate
{
    /// <summary>1 for the first proposed.</summary>
    [Id(0)] public required int Order { get; init; }
    /// <summary>The position in the ESMS's harmonised ranking.</summary>
    [Id(1)] public required int Rank { get; init; }
    [Id(2)] public required CandidatureId CandidatureId { get; init; }
    [Id(3)] public required PersonId PersonId { get; init; }
    [Id(4)] public required Score Score { get; init; }
    [Id(5)] public bool Urgency { get; init; }
    [Id(6)] public bool Creton { get; init; }
    /// <summary>The grid gave points for being at home without solution.</summary>
    [Id(7)] public bool WithoutSolution { get; init; }
}

/// <summary>The candidates proposed for a vacancy, from the ranking in force that day.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyProposal")]
public sealed record VacancyProposal
{
    [Id(0)] public required DateOnly On { get; init; }
    [Id(1)] public required int GridVersion { get; init; }
    [Id(2)] public required ImmutableArray<ProposedCandidate> Candidates { get; init; }
    /// <summary>Why ranked candidates were not proposed (French), never silently.</summary>
    [Id(3)] public ImmutableArray<string> Notices { get; init; } = [];
    [Id(4)] public bool PriorityFirst { get; init; }
}

/// <summary>An offer of the vacancy to one proposed candidate, and how it ended.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyOffer")]
public sealed record VacancyOffer
{
    [Id(0)] public required CandidatureId CandidatureId { get; init; }
    [Id(1)] public required PersonId PersonId { get; init; }
    /// <summary>Its order in the proposal (1 = the first proposed).</summary>
    [Id(2)] public required int Order { get; init; }
    [Id(3)] public required int Rank { get; init; }
    [Id(4)] public required DateOnly OfferedOn { get; init; }
    [Id(5)] public required DateTimeOffset OfferedAt { get; init; }
    [Id(6)] public required DateOnly Deadline { get; init; }
    [Id(7)] public required OfferOutcome Outcome { get; init; }
    [Id(8)] public DateOnly? EndedOn { get; init; }
    [Id(9)] public CandidatureReason? Reason { get; init; }
    /// <summary>Counted as a refused suitable offer under the grid's rule.</summary>
    [Id(10)] public bool CountsAsRefusal { get; init; }
    /// <summary>What the grid's refusal rule decided, in French (never silent).</summary>
    [Id(11)] public string? RuleApplied { get; init; }
    [Id(12)] public required string OfferedBy { get; init; }
}

/// <summary>One step of a vacancy (French, no names), for its history and the audit.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyStep")]
public sealed record VacancyStep(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] string Code,
    [property: Id(3)] string Text);

/// <summary>
/// A freed place of one ESMS and modality: opened by a declaration of places or an exit, proposed to
/// the top of the harmonised ranking, offered to one candidate at a time, closed by an admission or
/// withdrawn with a reason. Pure data; every change goes through <see cref="VacancyBook"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.Vacancy")]
public sealed record Vacancy
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required FinessNumber Finess { get; init; }
    [Id(2)] public required Modality Modality { get; init; }
    [Id(3)] public required KindOfSupport Kind { get; init; }
    [Id(4)] public string? Territory { get; init; }
    [Id(5)] public required DateOnly OpenedOn { get; init; }
    [Id(6)] public required VacancyOrigin Origin { get; init; }
    [Id(7)] public ExitReason? ExitReason { get; init; }
    [Id(8)] public ChainLink? Chain { get; init; }
    [Id(9)] public required VacancyStatus Status { get; init; }
    [Id(10)] public VacancyProposal? Proposal { get; init; }
    [Id(11)] public ImmutableArray<VacancyOffer> Offers { get; init; } = [];
    [Id(12)] public DateOnly? ClosedOn { get; init; }
    [Id(13)] public string? WithdrawalReason { get; init; }
    [Id(14)] public ImmutableArray<VacancyStep> Steps { get; init; } = [];
    [Id(15)] public int Version { get; init; }
    /// <summary>The admitted candidature, once filled.</summary>
    [Id(16)] public CandidatureId? FilledBy { get; init; }

    public bool IsOpen => Status is VacancyStatus.Open or VacancyStatus.Offered;

    public VacancyOffer? PendingOffer => Offers.IsDefault ? null : Offers.FirstOrDefault(o => o.Outcome == OfferOutcome.Pending);

    /// <summary>The proposed candidates not offered yet, in order: the next one to offer first.</summary>
    public IReadOnlyList<ProposedCandidate> NotYetOffered =>
        Proposal is null ? [] : Proposal.Candidates.Where(c => !Offers.Any(o => o.CandidatureId == c.CandidatureId)).ToList();

    /// <summary>Refusals counted under the grid's rule.</summary>
    public int CountedRefusals => Offers.IsDefault ? 0 : Offers.Count(o => o.CountsAsRefusal);

    /// <summary>The admitted candidate's order in the proposal (1 = first proposed), once filled.</summary>
    public int? FilledFromOrder => FilledBy is { } id ? Offers.FirstOrDefault(o => o.CandidatureId == id)?.Order : null;

    public string Label => $"place libérée {Id} ({Modality.Label().ToLowerInvariant()}, ESMS {Finess})";
}

public static class VacancyLabels
{
    public static string Label(this VacancyStatus status) => status switch
    {
        VacancyStatus.Open => "Ouverte",
        VacancyStatus.Offered => "Proposée à un candidat",
        VacancyStatus.Filled => "Pourvue",
        VacancyStatus.Withdrawn => "Retirée",
        _ => status.ToString(),
    };

    public static string Label(this VacancyOrigin origin) => origin switch
    {
        VacancyOrigin.PlacesDeclared => "Places déclarées vacantes",
        VacancyOrigin.Exit => "Sortie d'une personne accueillie",
        VacancyOrigin.AdmissionElsewhere => "Admission d'une personne accueillie dans un autre ESMS (chaîne)",
        _ => origin.ToString(),
    };

    public static string Label(this ExitReason reason) => reason switch
    {
        ExitReason.AdmittedElsewhere => "Admission dans un autre ESMS",
        ExitReason.ReturnHome => "Retour à domicile",
        ExitReason.Moved => "Déménagement",
        ExitReason.Deceased => "Décès",
        ExitReason.Hospitalised => "Hospitalisation au long cours",
        ExitReason.EndOfSupport => "Fin d'accompagnement",
        ExitReason.Other => "Autre motif",
        _ => reason.ToString(),
    };

    public static string Label(this OfferOutcome outcome) => outcome switch
    {
        OfferOutcome.Pending => "Réponse attendue",
        OfferOutcome.Admitted => "Admis·e",
        OfferOutcome.Declined => "Déclinée par la personne",
        OfferOutcome.Expired => "Délai de réponse dépassé",
        OfferOutcome.Ended => "Offre terminée",
        _ => outcome.ToString(),
    };
}
