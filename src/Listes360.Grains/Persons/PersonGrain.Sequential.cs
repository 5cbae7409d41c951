using Listes360.Domain;
using Listes360.Domain.Sequential;
using Listes360.Grains.Security;
using Listes360.Grains.Sequential;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Persons;

/// <summary>
/// The person's sequential needs and proposals (rules: <see cref="Domain.Persons.PersonFile"/>). A
/// proposal is a small saga across the ESMS availability grains: planned by the file, held everywhere,
/// committed everywhere, then recorded; on any refusal or fault, what was taken is released.
/// </summary>
public sealed partial class PersonGrain : IPersonSequentialGrain
{
    public async Task<SequentialNeeds?> SetSequentialNeedsAsync(SequentialNeeds? needs)
    {
        await CommitAsync(File.SetSequentialNeeds(needs, Context()));
        return needs;
    }

    public Task<SequentialNeeds?> GetSequentialNeedsAsync()
    {
        var file = File;
        file.RequireReachableBy(CallerContext.Current);
        _ = file.LiveRecord;
        return Task.FromResult(file.SequentialNeeds);
    }

    public async Task<SequentialProposal> ProposeSequentialAsync(DateOnly from, IReadOnlyList<ProposalPart> parts, string by)
    {
        // Everything that can be refused without touching an ESMS's places is refused first.
        var plan = await DecideAsync((file, context) => file.PlanProposal($"S-{Guid.NewGuid():N}", from, parts, by, context));
        var proposal = plan.Proposal;
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
            await CommitAsync(File.RecordProposal(plan, Context()));
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
}
