using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Persons;

namespace Listes360.Application.Persons;

/// <summary>The person after a write.</summary>
public sealed record PersonResult(PersonSnapshot Person);

/// <summary>
/// A candidature after a write, and its person. <see cref="Person"/> is null when the use case did not
/// read it (the payload reads it only when asked: each read of a person is audited).
/// <see cref="Candidature"/> is null only if the person no longer shows it to the caller.
/// </summary>
public sealed record CandidatureResult(Candidature? Candidature, string PersonId, PersonSnapshot? Person = null);

public sealed record UpdatePersonSituationInput(string PersonId, SituationInput Situation, CarerInput? Carer = null);

/// <summary>Updates a person's situation and, when given, their carer.</summary>
public sealed class UpdatePersonSituation(IGrainFactory grains, TimeProvider clock) : UseCase<UpdatePersonSituationInput, PersonResult>
{
    protected override async Task<PersonResult> RunAsync(UpdatePersonSituationInput input, Caller caller)
    {
        var today = ParisDate.Today(clock);
        return new(await grains.Person(input.PersonId).UpdateSituationAsync(input.Situation.ToSituation(today), input.Carer?.ToCarer(today), By(caller)));
    }
}

public sealed record AddOrientationInput(
    string PersonId,
    string DecisionReference,
    KindOfSupport Kind,
    DateOnly ValidFrom,
    DateOnly? ValidTo = null,
    IReadOnlyList<Modality>? Modalities = null);

/// <summary>Records a CDAPH orientation decision for a person.</summary>
public sealed class AddOrientation(IGrainFactory grains, TimeProvider clock) : UseCase<AddOrientationInput, PersonResult>
{
    protected override async Task<PersonResult> RunAsync(AddOrientationInput input, Caller caller)
    {
        var orientation = Orientation.Create(input.DecisionReference, input.Kind, input.ValidFrom, input.ValidTo, input.Modalities, ParisDate.Today(clock));
        return new(await grains.Person(input.PersonId).AddOrientationAsync(orientation, By(caller)));
    }
}

public sealed record CreateCandidatureInput(string PersonId, string Finess, Modality Modality, DateOnly? RequestDate = null);

/// <summary>Creates a person's candidature to an ESMS (the person refuses it when not eligible); the request date is today by default.</summary>
public sealed class CreateCandidature(IGrainFactory grains, TimeProvider clock) : UseCase<CreateCandidatureInput, CandidatureResult>
{
    protected override async Task<CandidatureResult> RunAsync(CreateCandidatureInput input, Caller caller)
    {
        var person = PersonId.Parse(input.PersonId);
        var candidature = await grains.GetGrain<IPersonGrain>(person.Value).CreateCandidatureAsync(FinessNumber.Parse(input.Finess), input.Modality,
            input.RequestDate ?? ParisDate.Today(clock), By(caller));
        return new(candidature, person.Value);
    }
}

public sealed record ChangeCandidatureStatusInput(string PersonId, string CandidatureId, CandidatureStatus Status, CandidatureReason? Reason = null);

/// <summary>Moves a candidature along the harmonised state machine (the person applies the rules).</summary>
public sealed class ChangeCandidatureStatus(IGrainFactory grains) : UseCase<ChangeCandidatureStatusInput, CandidatureResult>
{
    protected override async Task<CandidatureResult> RunAsync(ChangeCandidatureStatusInput input, Caller caller)
    {
        var candidature = CandidatureId.Parse(input.CandidatureId);
        var person = await grains.Person(input.PersonId).ChangeCandidatureStatusAsync(candidature, input.Status, input.Reason, By(caller));
        return person.CandidatureResult(candidature);
    }
}

public sealed record ResolveSolutionElsewhereInput(string PersonId, string CandidatureId, SolutionElsewhereDecision Decision);

/// <summary>Confirms, undoes or keeps as preferred a candidature closed because the person was admitted elsewhere.</summary>
public sealed class ResolveSolutionElsewhere(IGrainFactory grains) : UseCase<ResolveSolutionElsewhereInput, CandidatureResult>
{
    protected override async Task<CandidatureResult> RunAsync(ResolveSolutionElsewhereInput input, Caller caller)
    {
        var candidature = CandidatureId.Parse(input.CandidatureId);
        var person = await grains.Person(input.PersonId).ResolveSolutionElsewhereAsync(candidature, input.Decision, By(caller));
        return person.CandidatureResult(candidature);
    }
}

public sealed record UrgencyInput(UrgencySource Source, string Reason, DateOnly? Since = null);

public sealed record SetUrgencyInput(string PersonId, UrgencyInput? Urgency = null);

/// <summary>Flags an urgency on a person's situation (since today by default), or lifts it when none is given.</summary>
public sealed class SetUrgency(IGrainFactory grains, TimeProvider clock) : UseCase<SetUrgencyInput, PersonResult>
{
    protected override async Task<PersonResult> RunAsync(SetUrgencyInput input, Caller caller)
    {
        var person = PersonId.Parse(input.PersonId);
        var today = ParisDate.Today(clock);
        var flag = input.Urgency is { } u ? UrgencyFlag.Create(u.Source, u.Since ?? today, u.Reason ?? "", By(caller), today) : null;
        return new(await grains.GetGrain<IPersonGrain>(person.Value).FlagUrgencyAsync(flag, By(caller)));
    }
}

internal static class PersonGrains
{
    public static IPersonGrain Person(this IGrainFactory grains, string? personId) =>
        grains.GetGrain<IPersonGrain>(PersonId.Parse(personId).Value);

    /// <summary>The candidature in the person the grain answered (a director's view holds their ESMS's ones, this one included).</summary>
    public static CandidatureResult CandidatureResult(this PersonSnapshot person, CandidatureId candidature) =>
        new(person.Candidatures.FirstOrDefault(c => c.Id == candidature), person.Record.Id.Value, person);
}
