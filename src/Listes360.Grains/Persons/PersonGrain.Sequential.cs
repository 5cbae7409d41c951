using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Sequential;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Persons;

/// <summary>
/// The person's sequential needs and proposals. The needs travel to the search's projection with
/// the person's other projections (same outbox discipline); a proposal is a small saga across the
/// ESMS availability grains: hold everywhere, commit everywhere, then write the offers; on any
/// refusal or fault, release what was taken.
/// </summary>
public sealed partial class PersonGrain : IPersonSequentialGrain
{
    private static readonly CandidatureStatus[] PathToOffer =
        [CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered];

    public async Task<SequentialNeeds?> SetSequentialNeedsAsync(SequentialNeeds? needs)
    {
        _ = Record;
        if (needs is null && state.State.SequentialNeeds is null)
            return null;
        state.State.SequentialNeeds = needs;
        await CommitAsync([]);
        return needs;
    }

    public Task<SequentialNeeds?> GetSequentialNeedsAsync()
    {
        RequireReachableByDirector();
        _ = Record;
        return Task.FromResult(state.State.SequentialNeeds);
    }

    public async Task<SequentialProposal> ProposeSequentialAsync(DateOnly from, IReadOnlyList<ProposalPart> parts, string by)
    {
        var record = Record;
        var now = clock.GetUtcNow();
        CheckCombination(from, parts);

        // Everything that can be refused without touching an ESMS is refused first.
        var offered = new List<Candidature>();
        foreach (var part in parts)
        {
            var profile = await GrainFactory.GetGrain<IEsmsGrain>(part.Finess.Value).GetProfileAsync()
                ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {part.Finess}.", "finess");
            Eligibility.Require(record, profile, part.Modality, from);
            var existing = state.State.Candidatures.Values.FirstOrDefault(c => c.IsOpen && c.Finess == part.Finess && c.Modality == part.Modality);
            if (existing is { Status: CandidatureStatus.Offered })
                throw new DomainException("ALREADY_OFFERED",
                    $"Une offre est déjà en cours pour cette personne à l'ESMS {profile.Name} ({part.Finess}) (candidature {existing.Id}).", "finess");
            var candidature = existing ?? Candidature.For(CandidatureId.New(), Id, profile, part.Modality, Today, now, by);
            foreach (var step in PathToOffer.SkipWhile(s => s != NextOnPath(candidature.Status)))
                candidature = CandidatureStateMachine.Transition(candidature, step, null, now, by);
            offered.Add(candidature);
        }

        var proposal = new SequentialProposal($"S-{Guid.NewGuid():N}", Id, from, parts, offered.Select(c => c.Id).ToList(), now, by);
        var asked = new List<ProposalPart>();
        try
        {
            // In FINESS order, so that two proposals over the same ESMS meet at the same first grain.
            foreach (var part in parts.OrderBy(p => p.Finess.Value, StringComparer.Ordinal))
            {
                asked.Add(part);
                await Availability(part).HoldAsync(proposal.Id, Id, part.Modality, part.HalfDays, from);
            }
            foreach (var part in asked)
                await Availability(part).ConfirmAsync(proposal.Id);
            state.State.SequentialProposals[proposal.Id] = proposal;
            await CommitAsync(offered);
            return proposal;
        }
        catch (Exception e)
        {
            await ReleaseAsync(proposal.Id, asked);
            if (e is DomainException)
                throw;
            logger.LogWarning(e, "Proposition séquentielle {Proposal} annulée pour {Person}", proposal.Id, Id);
            var esms = asked.Count == 0 ? "un ESMS" : $"l'ESMS {asked[^1].Finess}";
            throw new DomainException("ESMS_UNAVAILABLE",
                $"La proposition n'a pas pu être faite : {esms} n'a pas répondu. Aucune offre n'a été enregistrée et aucune place n'est retenue ; réessayez.", "finess");
        }
    }

    private static CandidatureStatus NextOnPath(CandidatureStatus status) => status switch
    {
        CandidatureStatus.Received or CandidatureStatus.Incomplete => CandidatureStatus.UnderReview,
        CandidatureStatus.UnderReview => CandidatureStatus.Waiting,
        CandidatureStatus.Waiting => CandidatureStatus.Offered,
        _ => throw new DomainException("FORBIDDEN_TRANSITION", $"Une candidature au statut « {status.Label()} » ne peut pas recevoir d'offre.", "status"),
    };

    private void CheckCombination(DateOnly from, IReadOnlyList<ProposalPart> parts)
    {
        if (parts.Count == 0 || parts.Count > SequentialQuery.MaxMaxStructures)
            throw new DomainException("INVALID_COMBINATION", $"Une combinaison compte de 1 à {SequentialQuery.MaxMaxStructures} ESMS (reçu : {parts.Count}).", "parts");
        if (parts.GroupBy(p => p.Finess).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DomainException("INVALID_COMBINATION", $"L'ESMS {twice.Key} figure deux fois dans la combinaison.", "parts");
        if (from < Today)
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

    private IEsmsAvailabilityGrain Availability(ProposalPart part) => GrainFactory.GetGrain<IEsmsAvailabilityGrain>(part.Finess.Value);

    /// <summary>Compensation: frees every place the proposal may hold; a release that fails leaves a hold that lapses by itself.</summary>
    private async Task ReleaseAsync(string proposalId, IEnumerable<ProposalPart> parts)
    {
        foreach (var part in parts)
        {
            try
            {
                await Availability(part).ReleaseAsync(proposalId);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Libération différée de {Proposal} à {Finess}", proposalId, part.Finess);
            }
        }
    }

    private void MarkSequentialPending()
    {
        if (state.State.SequentialNeeds is not null || state.State.SequentialListed)
            state.State.SequentialPending = true;
    }

    private bool SequentialWorkPending() =>
        state.State.SequentialPending || state.State.SequentialProposals.Values.Any(p => EndedParts(p).Any());

    /// <summary>The parts of a proposal whose candidature left OFFERED other than by an admission: their places go back.</summary>
    private IEnumerable<ProposalPart> EndedParts(SequentialProposal proposal) =>
        proposal.Parts.Where(part =>
        {
            var candidature = state.State.Candidatures.Values.FirstOrDefault(c => proposal.Candidatures.Contains(c.Id) && c.Finess == part.Finess);
            return candidature is null || candidature.Status is not (CandidatureStatus.Offered or CandidatureStatus.Admitted);
        });

    /// <summary>Frees the places of ended offers and refreshes the search's entry; true when something was delivered.</summary>
    private async Task<bool> PublishSequentialAsync()
    {
        var s = state.State;
        var delivered = false;
        foreach (var proposal in s.SequentialProposals.Values.ToList())
        {
            var ended = EndedParts(proposal).ToList();
            if (ended.Count == 0)
                continue;
            foreach (var part in ended)
                await Availability(part).ReleaseAsync(proposal.Id);
            var remaining = proposal.Parts.Except(ended).ToList();
            if (remaining.Count == 0)
                s.SequentialProposals.Remove(proposal.Id);
            else
                s.SequentialProposals[proposal.Id] = proposal with { Parts = remaining };
            delivered = true;
        }
        if (s.SequentialPending)
        {
            await GrainFactory.GetGrain<ICandidateShardGrain>(CandidateSharding.ShardOf(topology, Id)).ApplyAsync(Id, s.Version, SearchEntry());
            s.SequentialListed = s.SequentialNeeds is not null;
            s.SequentialPending = false;
            delivered = true;
        }
        return delivered;
    }

    private SequentialCandidate? SearchEntry()
    {
        var s = state.State;
        if (s.SequentialNeeds is not { } needs || s.Record is not { } record)
            return null;
        var waiting = s.Candidatures.Values.Where(c => c.Status == CandidatureStatus.Waiting).ToList();
        var oldest = waiting.OrderBy(c => c.RequestDate).ThenBy(c => c.Id.Value, StringComparer.Ordinal).FirstOrDefault();
        var home = Domain.Territories.CommuneCentres.Of(record.Identity.ResidenceCommune);
        return new SequentialCandidate
        {
            Person = Id,
            BirthDate = record.Identity.BirthDate,
            Orientations = record.Orientations.IsDefault ? [] : record.Orientations,
            Needs = needs,
            Home = new HomeLocation(record.Identity.ResidenceCommune, s.Territory, home?.Latitude, home?.Longitude),
            Facts = oldest is null ? null : Domain.Grid.CandidateFacts.Of(record, s.Territory, oldest, s.Candidatures.Values),
            OldestWaitingRequest = waiting.Count == 0 ? null : waiting.Min(c => c.RequestDate),
            Waiting = waiting.Count > 0 && !s.Candidatures.Values.Any(c => c.Status == CandidatureStatus.Offered),
        };
    }
}
