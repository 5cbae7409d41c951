using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Registry;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace Listes360.Web.Components;

/// <summary>
/// A page of one ESMS (<c>/esms/{Finess}/…</c>). The ESMS is read as the signed-in caller: a director
/// of another ESMS is refused by the grain authorization filter (audited), and the page answers 403.
/// </summary>
public abstract class EsmsPage : WebPage
{
    [Parameter] public string Finess { get; set; } = "";

    protected EsmsSnapshot? Esms { get; private set; }

    protected sealed override async Task LoadAsync()
    {
        if (!FinessNumber.TryParse(Finess, out var finess, out var error))
        {
            NotFound($"« {Finess} » n'est pas un numéro FINESS : {error}");
            return;
        }
        Finess = finess.Value;
        Esms = await AsCallerAsync(() => GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetAsync());
        if (Esms is null)
        {
            NotFound($"L'établissement FINESS {finess.Value} n'est pas enregistré dans Listes360.");
            return;
        }
        await LoadEsmsAsync();
    }

    [Inject] protected IGrainFactory GrainFactory { get; set; } = null!;

    /// <summary>The page's own reads, once the ESMS is known and open to the caller.</summary>
    protected virtual Task LoadEsmsAsync() => Task.CompletedTask;
}
