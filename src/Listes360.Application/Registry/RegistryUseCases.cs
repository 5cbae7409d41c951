using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Registry;

namespace Listes360.Application.Registry;

/// <summary>The ESMS after a write; <see cref="Changed"/> false when the write changed nothing.</summary>
public sealed record EsmsResult(EsmsSnapshot Esms, bool Changed = true);

public sealed record RegisterEsmsInput(
    string Finess,
    string Name,
    string Category,
    string? Postcode = null,
    string? Commune = null,
    int? AgeFrom = null,
    int? AgeUntil = null,
    IReadOnlyList<Modality>? Modalities = null)
{
    public EsmsRegistrationRequest ToRequest() => new(Finess, Name, Category, Postcode, Commune, AgeFrom, AgeUntil, Modalities);
}

/// <summary>Registers an ESMS, or updates its identity; an identical registration changes nothing.</summary>
public sealed class RegisterEsms(IGrainFactory grains) : UseCase<RegisterEsmsInput, EsmsResult>
{
    protected override Task<EsmsResult> RunAsync(RegisterEsmsInput input, Caller caller) => RegisterAsync(grains, input.ToRequest().ToProfile(), caller);

    /// <summary>A profile already read (a registry file row): the same registration as <see cref="RegisterEsmsInput"/>.</summary>
    internal static async Task<EsmsResult> RegisterAsync(IGrainFactory grains, EsmsProfile profile, Caller caller)
    {
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
