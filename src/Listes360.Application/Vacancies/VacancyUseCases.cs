using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;
using Listes360.Grains.Vacancies;

namespace Listes360.Application.Vacancies;

/// <summary>A vacancy after a write.</summary>
public sealed record VacancyResult(Vacancy Vacancy);

public sealed record RecordExitInput(string Finess, Modality Modality, ExitReason Reason, DateOnly? Date = null);

public sealed record ProposeVacancyInput(string VacancyId, int? Count = null);

public sealed record OfferVacancyInput(string VacancyId, string CandidatureId);

public sealed record RecordVacancyRefusalInput(string VacancyId, string CandidatureId, CandidatureReason Reason);

public sealed record ExpireVacancyOfferInput(string VacancyId);

public sealed record WithdrawVacancyInput(string VacancyId, string Reason);

internal static class VacancyCalls
{
    public static IVacancyGrain Grain(IGrainFactory grains, string vacancyId) => grains.GetGrain<IVacancyGrain>(VacancyIds.FinessOf(vacancyId).Value);

    public static async Task<Vacancy> ReadAsync(IGrainFactory grains, string vacancyId) =>
        await Grain(grains, vacancyId).GetAsync(vacancyId)
        ?? throw new DomainException("VACANCY_NOT_FOUND", $"Aucune place libérée {vacancyId} n'est enregistrée pour l'ESMS {VacancyIds.FinessOf(vacancyId)}.", "vacancyId");

    /// <summary>The pending offer of the vacancy, which must be to this candidature (checked before any write).</summary>
    public static VacancyOffer PendingOffer(Vacancy vacancy, CandidatureId? candidature = null)
    {
        if (vacancy.PendingOffer is not { } offer)
            throw new DomainException("NO_PENDING_OFFER", $"La {vacancy.Label} n'est proposée à personne en ce moment : rien à enregistrer.", "vacancyId");
        if (candidature is { } c && offer.CandidatureId != c)
            throw new DomainException("NO_PENDING_OFFER",
                $"La {vacancy.Label} est proposée à la candidature {offer.CandidatureId}, pas à {c}.", "candidatureId");
        return offer;
    }
}

/// <summary>A person left an ESMS (with its reason): a vacancy opens for that modality with its proposals (today by default).</summary>
public sealed class RecordExit(IGrainFactory grains, TimeProvider clock) : UseCase<RecordExitInput, VacancyResult>
{
    protected override async Task<VacancyResult> RunAsync(RecordExitInput input, Caller caller)
    {
        var finess = FinessNumber.Parse(input.Finess);
        return new(await grains.GetGrain<IVacancyGrain>(finess.Value).RecordExitAsync(input.Modality, input.Reason, input.Date ?? ParisDate.Today(clock), By(caller)));
    }
}

/// <summary>Proposes again the top of the ranking in force for an open vacancy (5 by default).</summary>
public sealed class ProposeVacancy(IGrainFactory grains) : UseCase<ProposeVacancyInput, VacancyResult>
{
    protected override async Task<VacancyResult> RunAsync(ProposeVacancyInput input, Caller caller) =>
        new(await VacancyCalls.Grain(grains, input.VacancyId).ProposeAsync(input.VacancyId, input.Count ?? VacancyBook.DefaultProposed, By(caller)));
}

/// <summary>
/// Offers a vacancy to one proposed candidature: the vacancy records the offer (refused unless the candidature
/// is proposed and no offer is pending), then the candidature moves to OFFERED (the existing transition, with the
/// grid's deadline); if the person's file refuses it, the offer is taken back and the refusal returned.
/// </summary>
public sealed class OfferVacancy(IGrainFactory grains) : UseCase<OfferVacancyInput, VacancyResult>
{
    protected override async Task<VacancyResult> RunAsync(OfferVacancyInput input, Caller caller)
    {
        var candidature = CandidatureId.Parse(input.CandidatureId);
        var grain = VacancyCalls.Grain(grains, input.VacancyId);
        var offered = await grain.OfferAsync(input.VacancyId, candidature, By(caller));
        var person = VacancyCalls.PendingOffer(offered, candidature).PersonId;
        try
        {
            await grains.GetGrain<IPersonGrain>(person.Value).ChangeCandidatureStatusAsync(candidature, CandidatureStatus.Offered, null, By(caller));
        }
        catch (DomainException)
        {
            using (CallerContext.As(Caller.ServiceItself))
                await grain.CancelOfferAsync(input.VacancyId, candidature, By(caller));
            throw;
        }
        return new(await VacancyCalls.ReadAsync(grains, input.VacancyId));
    }
}

/// <summary>
/// The person declines the offered place (DECLINED_BY_PERSON with its reason, the existing transition); the
/// vacancy follows, counts the refusal as the grid's rule says, and proposes the next candidate.
/// </summary>
public sealed class RecordVacancyRefusal(IGrainFactory grains) : UseCase<RecordVacancyRefusalInput, VacancyResult>
{
    protected override async Task<VacancyResult> RunAsync(RecordVacancyRefusalInput input, Caller caller)
    {
        var candidature = CandidatureId.Parse(input.CandidatureId);
        var offer = VacancyCalls.PendingOffer(await VacancyCalls.ReadAsync(grains, input.VacancyId), candidature);
        await grains.GetGrain<IPersonGrain>(offer.PersonId.Value).ChangeCandidatureStatusAsync(candidature, CandidatureStatus.DeclinedByPerson, input.Reason, By(caller));
        return new(await VacancyCalls.ReadAsync(grains, input.VacancyId));
    }
}

/// <summary>
/// The answer deadline passed: the candidature goes back to the waiting list (OFFERED → WAITING, no refusal is
/// deduced) and the vacancy passes to the next candidate. Refused before the deadline (OFFER_NOT_OVERDUE).
/// </summary>
public sealed class ExpireVacancyOffer(IGrainFactory grains, TimeProvider clock) : UseCase<ExpireVacancyOfferInput, VacancyResult>
{
    protected override async Task<VacancyResult> RunAsync(ExpireVacancyOfferInput input, Caller caller)
    {
        var offer = VacancyCalls.PendingOffer(await VacancyCalls.ReadAsync(grains, input.VacancyId));
        if (ParisDate.Today(clock) <= offer.Deadline)
            throw new DomainException("OFFER_NOT_OVERDUE",
                $"La réponse de la candidature {offer.CandidatureId} est attendue jusqu'au {offer.Deadline:dd/MM/yyyy} inclus : le délai n'est pas dépassé.", "vacancyId");
        await grains.GetGrain<IPersonGrain>(offer.PersonId.Value)
            .ChangeCandidatureStatusAsync(offer.CandidatureId, CandidatureStatus.Waiting, CandidatureReason.BackToWaitingList, By(caller));
        return new(await VacancyCalls.ReadAsync(grains, input.VacancyId));
    }
}

/// <summary>Withdraws an open vacancy with its reason.</summary>
public sealed class WithdrawVacancy(IGrainFactory grains) : UseCase<WithdrawVacancyInput, VacancyResult>
{
    protected override async Task<VacancyResult> RunAsync(WithdrawVacancyInput input, Caller caller) =>
        new(await VacancyCalls.Grain(grains, input.VacancyId).WithdrawAsync(input.VacancyId, input.Reason, By(caller)));
}
