using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Registry;

namespace Listes360.Application.Registry;

/// <summary>The ESMS after a write; <see cref="Changed"/> false when the write changed nothing.</summary>
public sealed record EsmsResult(EsmsSnapshot Esms, bool Changed = true);

/// <summary>
/// Registers an ESMS, or updates its identity; an identical registration changes nothing. The input is the
/// domain's <see cref="EsmsRegistrationRequest"/> (what a registry row or a user gives), checked into a profile.
/// </summary>
public sealed class RegisterEsms(IGrainFactory grains) : UseCase<EsmsRegistrationRequest, EsmsResult>
{
    protected override async Task<EsmsResult> RunAsync(EsmsRegistrationRequest input, Caller caller)
    {
        var profile = input.ToProfile();
        var result = await grains.GetGrain<IEsmsGrain>(profile.Finess.Value).RegisterAsync(profile, By(caller));
        return new(result.Esms, result.Changed);
    }
}

public sealed record SetEsmsPlacesInput(string Finess, Modality Modality, int Capacity, int Occupied, DateOnly? EffectiveDate = null);

/// <summary>Declares an ESMS's places for one modality, from today by default.</summary>
public sealed class SetEsmsPlaces(IGrainFactory grains, TimeProvider clock) : UseCase<SetEsmsPlacesInput, EsmsResult>
{
    protected override async Task<EsmsResult> RunAsync(SetEsmsPlacesInput input, Caller caller)
    {
        var finess = FinessNumber.Parse(input.Finess);
        var effective = input.EffectiveDate ?? ParisDate.Today(clock);
        return new(await grains.GetGrain<IEsmsGrain>(finess.Value).SetPlacesAsync(input.Modality, input.Capacity, input.Occupied, effective, By(caller)));
    }
}
