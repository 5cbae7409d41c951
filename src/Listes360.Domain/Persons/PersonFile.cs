using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Idempotency;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Domain.Territories;

namespace Listes360.Domain.Persons;

/// <summary>
/// A person's file: the aggregate that guards every rule about one person's record, orientations and
/// candidatures. Each command (a method of this type or its partial files) takes the current file and a
/// <see cref="PersonFileContext"/> (today, now, the caller, the ESMS profiles it asked for) and returns a
/// <see cref="PersonFileChange"/>: the new file and the effects others must learn (ESMS views, counts and
/// risk, ranking facts, sequential entry, places to release). Pure: no storage, no grain, no clock; a
/// refusal is a <see cref="DomainException"/> with its French message, and nothing changes.
/// </summary>
public sealed partial record PersonFile
{
    public required PersonId Id { get; init; }
    public PersonRecord? Record { get; init; }
    public ImmutableDictionary<string, Candidature> Candidatures { get; init; } = ImmutableDictionary.Create<string, Candidature>(StringComparer.Ordinal);
    public string? Territory { get; init; }
    public bool ConsentToShare { get; init; }
    /// <summary>One more on every change: the receivers of the effects apply by version.</summary>
    public int Version { get; init; }
    /// <summary>Set when this person was merged into another: a tombstone, reads go to the survivor.</summary>
    public string? MergedInto { get; init; }
    /// <summary>The persons merged into this one (split ones kept, marked), to undo each merge exactly.</summary>
    public ImmutableList<MergeRecord> Merges { get; init; } = [];
    /// <summary>Created from a SIMULATED list (the demo seed): not a real person.</summary>
    public bool Simulated { get; init; }
    public SequentialNeeds? SequentialNeeds { get; init; }
    /// <summary>The person has (or will have, once delivered) an entry in the sequential search's projection.</summary>
    public bool SequentialListed { get; init; }
    /// <summary>Sequential proposals whose places are held in ESMS, until their offers end.</summary>
    public ImmutableDictionary<string, SequentialProposal> SequentialProposals { get; init; } = ImmutableDictionary.Create<string, SequentialProposal>(StringComparer.Ordinal);
    /// <summary>The last keyed operations applied (bounded), so that a retry after a failover answers as the first time.</summary>
    public ImmutableList<AppliedOperation> AppliedOperations { get; init; } = [];

    public static PersonFile Empty(PersonId id) => new() { Id = id };

    public bool Exists => Record is not null;

    /// <summary>The record of a live person; refused for a tombstone (act on the survivor) or an empty id.</summary>
    public PersonRecord LiveRecord => MergedInto is { } survivor
        ? throw new DomainException("PERSON_MERGED", $"La personne {Id} a été fusionnée avec {survivor} : agissez sur {survivor}.", "personId")
        : Record ?? throw Unknown(Id);

    public static DomainException Unknown(PersonId id) =>
        new("UNKNOWN_PERSON", $"Aucune personne n'est enregistrée sous l'identifiant {id}.", "personId");

    /// <summary>The candidatures by request date, then id.</summary>
    public IReadOnlyList<Candidature> Ordered =>
        Candidatures.Values.OrderBy(c => c.RequestDate).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();

    public Candidature Find(CandidatureId id) =>
        Candidatures.GetValueOrDefault(id.Value)
        ?? throw new DomainException("CANDIDATURE_NOT_FOUND", $"La candidature {id} n'appartient pas à la personne {Id}.", "candidatureId");

    /// <summary>
    /// A director reaches a person only through a candidature to one of their ESMS. An unknown, merged or
    /// unrelated person gets the same refusal, checked before anything else: no answer tells a director
    /// whether an id is a person of the département.
    /// </summary>
    public void RequireReachableBy(Caller? caller)
    {
        if (caller is { Role: Role.EsmsDirector } director
            && (Record is null || MergedInto is not null || !EsmsView.HasApplied(director, Candidatures.Values)))
            throw new DomainException("FORBIDDEN",
                "Accès refusé : cette personne n'a pas de candidature dans vos ESMS ; une personne vous parvient par l'import de votre liste (identité comprise) ou par l'équipe territoriale.");
    }

    private static void RequireOwnEsms(Caller? caller, FinessNumber finess)
    {
        if (caller is not null && AccessPolicy.DenyOtherEsms(caller, finess) is { } refusal)
            throw new DomainException("FORBIDDEN", refusal);
    }

    /// <summary>The territory of a residence commune (null when unknown or outside the embedded directories).</summary>
    public static string? TerritoryOf(string? communeInsee)
    {
        if (string.IsNullOrWhiteSpace(communeInsee) || Geography.DepartmentCodes.OfCode(communeInsee) is not { } department)
            return null;
        try
        {
            return TerritoryDirectory.FromEmbedded(department).TerritoryOfCommune(communeInsee)?.Code;
        }
        catch (DomainException e) when (e.Code == "TERRITORIES_NOT_AVAILABLE")
        {
            return null;
        }
    }
}

/// <summary>What a command of <see cref="PersonFile"/> reads besides the file: the date, the instant, who acts, and the ESMS asked for.</summary>
/// <param name="Today">The Europe/Paris date.</param>
/// <param name="Caller">Who acts (null: the service itself, or no caller known).</param>
/// <param name="OperationKey">The client's idempotency key, if any.</param>
/// <param name="Esms">The ESMS profiles the command asked for (<see cref="EsmsProfileNeeded"/>); null for an unknown FINESS.</param>
/// <param name="NewCandidatureId">Where new candidature ids come from (tests give fixed ones; default random).</param>
public sealed record PersonFileContext(
    DateOnly Today,
    DateTimeOffset Now,
    Caller? Caller = null,
    string? OperationKey = null,
    IReadOnlyDictionary<FinessNumber, EsmsProfile?>? Esms = null,
    Func<CandidatureId>? NewCandidatureId = null)
{
    /// <summary>The id of a candidature this command creates.</summary>
    public CandidatureId NextCandidatureId() => NewCandidatureId?.Invoke() ?? CandidatureId.New();

    /// <summary>The profile of an ESMS: asks the caller for it (<see cref="EsmsProfileNeeded"/>) when not given yet; refused when unknown.</summary>
    public EsmsProfile Profile(FinessNumber finess)
    {
        if (Esms is null || !Esms.TryGetValue(finess, out var profile))
            throw new EsmsProfileNeeded(finess);
        return profile ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {finess}.", "finess");
    }
}

/// <summary>
/// Not a refusal: the command needs this ESMS's profile to go on. The grain reads it and runs the same
/// command again with it in <see cref="PersonFileContext.Esms"/> (the command is deterministic).
/// </summary>
public sealed class EsmsProfileNeeded(FinessNumber finess) : Exception($"Profil de l'ESMS {finess} à lire.")
{
    public FinessNumber Finess { get; } = finess;
}
