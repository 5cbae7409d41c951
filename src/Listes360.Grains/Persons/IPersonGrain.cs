using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

/// <summary>
/// One person of a département (key: a pseudonymous <see cref="PersonId"/>, never derived from the
/// identity). Owns the person's CDAPH orientations, situation and candidatures; every ESMS's view
/// and the département's counts follow from it.
/// </summary>
[Alias("Listes360.Persons.IPersonGrain")]
public partial interface IPersonGrain : IGrainWithStringKey
{
    /// <summary>Creates the person; refused if this id already holds one.</summary>
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("CreateAsync")]
    Task<PersonSnapshot> CreateAsync(PersonIdentity identity, Situation? situation, Carer? carer, bool consentToShare, string by);

    /// <summary>
    /// The person, identity included (audited); a director only through a candidature to their ESMS, and
    /// then only that ESMS's candidatures and whether a solution was found elsewhere (never where).
    /// </summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Person, AuditReads = true)]
    [Alias("GetAsync")]
    Task<PersonSnapshot?> GetAsync();

    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("UpdateSituationAsync")]
    Task<PersonSnapshot> UpdateSituationAsync(Situation situation, Carer? carer, string by);

    /// <summary>Records a CDAPH orientation decision.</summary>
    [Allow(Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("AddOrientationAsync")]
    Task<PersonSnapshot> AddOrientationAsync(Orientation orientation, string by);

    /// <summary>A new candidature to an ESMS, refused when the person is not eligible for it.</summary>
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Person)]
    [Alias("CreateCandidatureAsync")]
    Task<Candidature> CreateCandidatureAsync([Scoped(KeyScope.Finess)] FinessNumber finess, Modality modality, DateOnly requestDate, string by);

    /// <summary>
    /// Moves a candidature along the harmonised state machine; an admission ends the person's other
    /// open candidatures of the same kind (SOLUTION_FOUND_ELSEWHERE), undoing it restores them.
    /// </summary>
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Person)]
    [Alias("ChangeCandidatureStatusAsync")]
    Task<PersonSnapshot> ChangeCandidatureStatusAsync(CandidatureId candidature, CandidatureStatus target, CandidatureReason? reason, string by);

    /// <summary>The conseiller's answer to a SOLUTION_FOUND_ELSEWHERE: confirm (withdrawn), reverse, or keep as preferred.</summary>
    [Allow(Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Department)]
    [Alias("ResolveSolutionElsewhereAsync")]
    Task<PersonSnapshot> ResolveSolutionElsewhereAsync(CandidatureId candidature, SolutionElsewhereDecision decision, string by);

    /// <summary>Flags an urgency (staff territorial or PAG), or clears it with null; every ranking of the person follows.</summary>
    [Allow(Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Department)]
    [Alias("FlagUrgencyAsync")]
    Task<PersonSnapshot> FlagUrgencyAsync(UrgencyFlag? urgency, string by);

    /// <summary>Pushes what the ESMS views and the counts have not acknowledged yet (after a crash), and applies expiries.</summary>
    [Internal]
    [Alias("ReconcileAsync")]
    Task ReconcileAsync();

    /// <summary>The same, answering once the file is written; its deliveries follow in a turn of their own (the département's pass).</summary>
    [Internal]
    [Alias("ReconcileThenDeliverAsync")]
    Task ReconcileThenDeliverAsync();
}

public enum SolutionElsewhereDecision
{
    /// <summary>The person keeps the solution: the candidature is withdrawn (reason 119).</summary>
    Confirm,
    /// <summary>The closing was wrong: back to the status it left.</summary>
    Reverse,
    /// <summary>The person keeps this ESMS as preferred: open again, counted apart.</summary>
    KeepAsPreferred,
}

/// <summary>A read of a person: record, candidatures, and the derived facts the UI shows.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PersonSnapshot")]
public sealed record PersonSnapshot(
    [property: Id(0)] PersonRecord Record,
    [property: Id(1)] IReadOnlyList<Candidature> Candidatures,
    [property: Id(2)] string? Territory,
    [property: Id(3)] bool ConsentToShare,
    [property: Id(4)] int Version,
    [property: Id(5)] bool Simulated = false,
    [property: Id(6)] IReadOnlyList<string>? MergedPersons = null,
    [property: Id(7)] bool SolutionFoundElsewhere = false);
