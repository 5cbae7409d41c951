using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Vacancies;

namespace Listes360.Application.Vacancies;

/// <param name="Secret">32 to 200 characters; none: one is drawn and returned once.</param>
public sealed record ConfigureVacancyHookInput(string Finess, string Url, string? Secret = null);

public sealed record RemoveVacancyHookInput(string Finess);

/// <summary>The webhook after its removal: the ESMS and whether one was configured.</summary>
public sealed record VacancyHookRemoved(string Finess, bool Removed);

/// <summary>
/// Sets the signed webhook of an ESMS's places libérées: the URL (https, or http to this machine) and the secret
/// (drawn at random when none is given, returned this once). Roles: the ESMS's director, admin (checked by the grain).
/// </summary>
public sealed class ConfigureVacancyHook(IGrainFactory grains) : UseCase<ConfigureVacancyHookInput, VacancyHookConfigured>
{
    protected override Task<VacancyHookConfigured> RunAsync(ConfigureVacancyHookInput input, Caller caller) =>
        grains.GetGrain<IVacancyHookGrain>(FinessNumber.Parse(input.Finess).Value).ConfigureAsync(input.Url, input.Secret, By(caller));
}

/// <summary>Removes the ESMS's webhook: nothing more is posted; what waited is given up, said in the delivery log.</summary>
public sealed class RemoveVacancyHook(IGrainFactory grains) : UseCase<RemoveVacancyHookInput, VacancyHookRemoved>
{
    protected override async Task<VacancyHookRemoved> RunAsync(RemoveVacancyHookInput input, Caller caller)
    {
        var grain = grains.GetGrain<IVacancyHookGrain>(FinessNumber.Parse(input.Finess).Value);
        var had = await grain.GetAsync() is not null;
        await grain.RemoveAsync(By(caller));
        return new(input.Finess, had);
    }
}
