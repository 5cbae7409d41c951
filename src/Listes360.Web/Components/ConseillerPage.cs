using Listes360.Domain;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components;

/// <summary>
/// A page of the conseiller en parcours (territorial staff; MDPH referents and administrators read the
/// same pages): the departmental list, the worklist, a person, the sequential search. Another role (an
/// ESMS director, the observatory) is refused with a French page (HTTP 403), and the refusal is written to
/// the audit trail like a refusal of the grain authorization filter. Every read then goes through the
/// grains as the caller: the filter narrows a conseiller to their département (and territory).
/// </summary>
public abstract class ConseillerPage : WebPage
{
    /// <summary>The roles that may open these pages (each read is still decided by the grains).</summary>
    public static readonly IReadOnlyList<Role> Roles = [Role.TerritorialStaff, Role.MdphReferent, Role.Admin];

    [Inject] protected IGrainFactory GrainFactory { get; set; } = null!;
    [Inject] protected IServiceProvider Services { get; set; } = null!;
    [Inject] protected TimeProvider Clock { get; set; } = null!;

    /// <summary>The caller's département (the list and searches are of it).</summary>
    protected string Department => Caller.Department ?? "";

    /// <summary>True when the caller may write (flag an urgency, resolve a solution found elsewhere, propose): the grains decide again.</summary>
    protected bool CanAct => Caller.Role is Role.TerritorialStaff or Role.Admin;

    /// <summary>A success message after a redirect (PRG), from the address's « fait » parameter.</summary>
    protected string? Done => Http?.Request.Query["fait"].FirstOrDefault();

    protected sealed override async Task LoadAsync()
    {
        if (!Roles.Contains(Caller.Role))
        {
            var reason = $"Accès refusé : les pages des conseillers en parcours sont ouvertes au staff territorial, aux référents MDPH et à l'administration, pas au rôle « {Caller.Role.French()} ».";
            await AuditRefusalAsync(reason);
            Refuse(reason);
            return;
        }
        if (string.IsNullOrEmpty(Caller.Department))
        {
            Refuse("Accès refusé : votre jeton ne porte pas de département ; reconnectez-vous en indiquant votre département.");
            return;
        }
        await LoadConseillerAsync();
    }

    /// <summary>The page's own reads, as the caller.</summary>
    protected abstract Task LoadConseillerAsync();

    private async Task AuditRefusalAsync(string reason)
    {
        if (Services.GetService<IAuditTrail>() is not { } audit)
            return;
        var path = Http?.Request.Path.Value ?? Navigation.ToBaseRelativePath(Navigation.Uri);
        await audit.AppendAsync(new AuditEntry(Clock.GetUtcNow(), Caller.Subject, Caller.Role, "Page " + path, AuditKind.Read, path, AuditOutcome.Denied, reason));
    }

    /// <summary>Runs a write as the caller; a domain refusal gives its French message by field (the page shows it next to the field), nothing changed.</summary>
    protected async Task<bool> TryAsync(Func<Task> work, Dictionary<string, string> errors, Func<string?, string> fieldOf)
    {
        try
        {
            await work();
            return true;
        }
        catch (DomainException e) when (e.Code == "FORBIDDEN")
        {
            Refuse(e.Message);
            return false;
        }
        catch (DomainException e)
        {
            errors[fieldOf(e.Field)] = e.Message;
            if (Http is { Response.HasStarted: false })
                Http.Response.StatusCode = e.Code == "CONFLICT" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return false;
        }
    }
}
