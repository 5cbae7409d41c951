using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Sequential;
using Listes360.Domain.Territories;

namespace Listes360.Domain.Persons;

/// <summary>A proposal ready to be held in the ESMS: the proposal and the candidatures it puts in OFFERED.</summary>
public sealed record SequentialPlan(SequentialProposal Proposal, IReadOnlyList<Candidature> Offered);

/// <summary>
/// The person's sequential needs and proposals. A proposal is planned here (every refusal that needs no
/// ESMS first), held in the ESMS by the grain (a small saga), then recorded here; the places of an offer
/// that ends other than by an admission go back (<see cref="PlacesToRelease"/>).
/// </summary>
public sealed partial record PersonFile
{
    private static readonly CandidatureStatus[] PathToOffer =
        [CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered];

    /// <summary>Declares (or with null, removes) the person's needs.</summary>
    public PersonFileChange SetSequentialNeeds(SequentialNeeds? needs, PersonFileContext context)
    {
        _ = LiveRecord;
        if (needs is null && SequentialNeeds is null)
            return PersonFileChange.None(this);
        return (this with { SequentialNeeds = needs }).Commit([], context,
            needs is null ? $"Besoins séquentiels de {Id} retirés." : $"Besoins séquentiels de {Id} déclarés.");
    }

    /// <summary>The proposal of a combination and its OFFERED candidatures (existing ones moved along, new ones made); writes nothing.</summary>
    public SequentialPlan PlanProposal(string proposalId, DateOnly from, IReadOnlyList<ProposalPart> parts, string by, PersonFileContext context)
    {
        var record = LiveRecord;
        CheckCombination(from, parts, context.Today);
        var offered = new List<Candidature>();
        foreach (var part in parts)
        {
            var profile = context.Profile(part.Finess);
            Eligibility.Require(record, profile, part.Modality, from);
            var existing = Candidatures.Values.FirstOrDefault(c => c.IsOpen && c.Finess == part.Finess && c.Modality == part.Modality);
            if (existing is { Status: CandidatureStatus.Offered })
                throw new DomainException("ALREADY_OFFERED",
                    $"Une offre est déjà en cours pour cette personne à l'ESMS {profile.Name} ({part.Finess}) (candidature {existing.Id}).", "finess");
            var candidature = existing ?? Candidature.For(context.NextCandidatureId(), Id, profile, part.Modality, context.Today, context.Now, by);
            foreach (var step in PathToOffer.SkipWhile(s => s != NextOnPath(candidature.Status)))
                candidature = CandidatureStateMachine.Transition(candidature, step, null, context.Now, by);
            offered.Add(candidature);
        }
        return new SequentialPlan(new SequentialProposal(proposalId, Id, from, parts, offered.Select(c => c.Id).ToList(), context.Now, by), offered);
    }

    /// <summary>The proposal once every ESMS holds its places: the offers are written.</summary>
    public PersonFileChange RecordProposal(SequentialPlan plan, PersonFileContext context) =>
        (this with { SequentialProposals = SequentialProposals.SetItem(plan.Proposal.Id, plan.Proposal) })
            .Commit(plan.Offered, context, $"Proposition séquentielle {plan.Proposal.Id} faite à {Id} ({plan.Offered.Count} ESMS).");

    private static CandidatureStatus NextOnPath(CandidatureStatus status) => status switch
    {
        CandidatureStatus.Received or CandidatureStatus.Incomplete => CandidatureStatus.UnderReview,
        CandidatureStatus.UnderReview => CandidatureStatus.Waiting,
        CandidatureStatus.Waiting => CandidatureStatus.Offered,
        _ => throw new DomainException("FORBIDDEN_TRANSITION", $"Une candidature au statut « {status.Label()} » ne peut pas recevoir d'offre.", "status"),
    };

    public static void CheckCombination(DateOnly from, IReadOnlyList<ProposalPart> parts, DateOnly today)
    {
        if (parts.Count == 0 || parts.Count > SequentialQuery.MaxMaxStructures)
            throw new DomainException("INVALID_COMBINATION", $"Une combinaison compte de 1 à {SequentialQuery.MaxMaxStructures} ESMS (reçu : {parts.Count}).", "parts");
        if (parts.GroupBy(p => p.Finess).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DomainException("INVALID_COMBINATION", $"L'ESMS {twice.Key} figure deux fois dans la combinaison.", "parts");
        if (from < today)
            throw new DomainException("INVALID_COMBINATION", $"La date de début ({from:dd/MM/yyyy}) est passée.", "from");
        var seen = 0;
        foreach (var part in parts)
        {
            if (part.HalfDays == 0 || (part.HalfDays & ~WeekSlots.FullWeek) != 0)
                throw new DomainException("INVALID_COMBINATION", $"Aucun jour n'est proposé à l'ESMS {part.Finess}.", "parts");
            if ((part.HalfDays & seen) != 0)
                throw new DomainException("INVALID_COMBINATION",
                    $"Le {WeekSlots.Label(part.HalfDays & seen)} est proposé dans deux ESMS à la fois.", "parts");
            seen |= part.HalfDays;
        }
    }

    /// <summary>The proposals without the parts whose candidature left OFFERED other than by an admission, and those parts' places to release.</summary>
    private (PersonFile File, IReadOnlyList<PlacesToRelease> Releases) EndOffers()
    {
        var releases = new List<PlacesToRelease>();
        var proposals = SequentialProposals;
        foreach (var proposal in SequentialProposals.Values)
        {
            var ended = proposal.Parts.Where(part =>
            {
                var candidature = Candidatures.Values.FirstOrDefault(c => proposal.Candidatures.Contains(c.Id) && c.Finess == part.Finess);
                return candidature is null || candidature.Status is not (CandidatureStatus.Offered or CandidatureStatus.Admitted);
            }).ToList();
            if (ended.Count == 0)
                continue;
            releases.AddRange(ended.Select(part => new PlacesToRelease(proposal.Id, part.Finess)));
            var remaining = proposal.Parts.Except(ended).ToList();
            proposals = remaining.Count == 0 ? proposals.Remove(proposal.Id) : proposals.SetItem(proposal.Id, proposal with { Parts = remaining });
        }
        return (releases.Count == 0 ? this : this with { SequentialProposals = proposals }, releases);
    }

    /// <summary>The person as the sequential search sees them (null: no needs declared, or no record).</summary>
    public SequentialCandidate? SearchEntry()
    {
        if (SequentialNeeds is not { } needs || Record is not { } record)
            return null;
        var waiting = Candidatures.Values.Where(c => c.Status == CandidatureStatus.Waiting).ToList();
        var oldest = waiting.OrderBy(c => c.RequestDate).ThenBy(c => c.Id.Value, StringComparer.Ordinal).FirstOrDefault();
        var home = CommuneCentres.Of(record.Identity.ResidenceCommune);
        return new SequentialCandidate
        {
            Person = Id,
            BirthDate = record.Identity.BirthDate,
            Orientations = record.Orientations.IsDefault ? [] : record.Orientations,
            Needs = needs,
            Home = new HomeLocation(record.Identity.ResidenceCommune, Territory, home?.Latitude, home?.Longitude),
            Facts = oldest is null ? null : CandidateFacts.Of(record, Territory, oldest, Candidatures.Values),
            OldestWaitingRequest = waiting.Count == 0 ? null : waiting.Min(c => c.RequestDate),
            Waiting = waiting.Count > 0 && !Candidatures.Values.Any(c => c.Status == CandidatureStatus.Offered),
        };
    }
}
