using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using Listes360.Domain.Time;
using Listes360.Grains.Sequential;

namespace Listes360.Application.Sequential;

/// <summary>A weekday, whole (by default) or half.</summary>
public sealed record WeekSlotInput(DayOfWeek Weekday, DayPart? Part = null);

public sealed record AvailabilityResult(EsmsAvailabilityView Availability);

public sealed record DeclareAvailabilityInput(string Finess, Modality Modality, IReadOnlyList<WeekSlotInput> Slots, int Places, DateOnly? From = null, DateOnly? To = null);

/// <summary>Declares free places for sequential stays, from today by default (the ESMS refuses more than its capacity).</summary>
public sealed class DeclareAvailability(IGrainFactory grains, TimeProvider clock) : UseCase<DeclareAvailabilityInput, AvailabilityResult>
{
    protected override async Task<AvailabilityResult> RunAsync(DeclareAvailabilityInput input, Caller caller) =>
        new(await grains.Availability(input.Finess).DeclareAsync(input.Modality, WeekSlotInputs.Mask(input.Slots), input.Places,
            input.From ?? ParisDate.Today(clock), input.To, By(caller)));
}

public sealed record WithdrawAvailabilityInput(string Finess, string DeclarationId);

/// <summary>Withdraws a declaration of free places (refused while an offer uses it).</summary>
public sealed class WithdrawAvailability(IGrainFactory grains) : UseCase<WithdrawAvailabilityInput, AvailabilityResult>
{
    protected override async Task<AvailabilityResult> RunAsync(WithdrawAvailabilityInput input, Caller caller) =>
        new(await grains.Availability(input.Finess).WithdrawAsync(input.DeclarationId, By(caller)));
}

public sealed record SetSequentialNeedsInput(
    string PersonId,
    int Amount,
    IReadOnlyList<Modality> Modalities,
    NeedUnit? Unit = null,
    double? MaxDistanceKm = null,
    IReadOnlyList<string>? Territories = null,
    DateOnly? From = null);

/// <summary>The person's sequential needs after the write (null once removed).</summary>
public sealed record SequentialNeedsResult(string PersonId, SequentialNeeds? Needs);

/// <summary>Declares a person's need for sequential stays (days by default, from today by default).</summary>
public sealed class SetSequentialNeeds(IGrainFactory grains, TimeProvider clock) : UseCase<SetSequentialNeedsInput, SequentialNeedsResult>
{
    protected override async Task<SequentialNeedsResult> RunAsync(SetSequentialNeedsInput input, Caller caller)
    {
        var needs = SequentialNeeds.Create(input.Amount, input.Unit ?? NeedUnit.Days, input.Modalities, input.MaxDistanceKm, input.Territories,
            input.From ?? ParisDate.Today(clock), By(caller), clock.GetUtcNow());
        var person = PersonId.Parse(input.PersonId);
        return new(person.Value, await grains.PersonSequential(person).SetSequentialNeedsAsync(needs));
    }
}

public sealed record RemoveSequentialNeedsInput(string PersonId);

/// <summary>Removes a person's sequential needs: they leave the sequential search.</summary>
public sealed class RemoveSequentialNeeds(IGrainFactory grains) : UseCase<RemoveSequentialNeedsInput, SequentialNeedsResult>
{
    protected override async Task<SequentialNeedsResult> RunAsync(RemoveSequentialNeedsInput input, Caller caller)
    {
        var person = PersonId.Parse(input.PersonId);
        return new(person.Value, await grains.PersonSequential(person).SetSequentialNeedsAsync(null));
    }
}

public sealed record ProposalPartInput(string Finess, Modality Modality, IReadOnlyList<WeekSlotInput> Slots);

public sealed record ProposeSequentialPlacementInput(string PersonId, IReadOnlyList<ProposalPartInput> Parts, DateOnly? From = null);

public sealed record ProposalResult(SequentialProposal Proposal);

/// <summary>Proposes a combination, all or nothing: an OFFERED candidature in each ESMS (the person coordinates it).</summary>
public sealed class ProposeSequentialPlacement(IGrainFactory grains, TimeProvider clock) : UseCase<ProposeSequentialPlacementInput, ProposalResult>
{
    protected override async Task<ProposalResult> RunAsync(ProposeSequentialPlacementInput input, Caller caller)
    {
        var parts = input.Parts.Select(p => new ProposalPart(FinessNumber.Parse(p.Finess), p.Modality, WeekSlotInputs.Mask(p.Slots))).ToList();
        return new(await grains.PersonSequential(PersonId.Parse(input.PersonId)).ProposeSequentialAsync(input.From ?? ParisDate.Today(clock), parts, By(caller)));
    }
}

internal static class WeekSlotInputs
{
    /// <summary>The half-day mask of the slots a user gave; at least one.</summary>
    public static int Mask(IReadOnlyList<WeekSlotInput>? slots)
    {
        var mask = 0;
        foreach (var slot in slots ?? [])
            mask |= WeekSlots.Mask(slot.Weekday, slot.Part ?? DayPart.FullDay);
        if (mask == 0)
            throw new DomainException("INVALID_AVAILABILITY", "Indiquez au moins un jour ou une demi-journée de la semaine.", "slots");
        return mask;
    }

    public static IEsmsAvailabilityGrain Availability(this IGrainFactory grains, string? finess) =>
        grains.GetGrain<IEsmsAvailabilityGrain>(FinessNumber.Parse(finess).Value);

    public static IPersonSequentialGrain PersonSequential(this IGrainFactory grains, PersonId person) =>
        grains.GetGrain<IPersonSequentialGrain>(person.Value);
}
