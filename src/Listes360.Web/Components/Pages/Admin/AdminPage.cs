using Listes360.Domain;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components.Pages.Admin;

/// <summary>
/// A page of the administration (<c>/admin/…</c>): the département's criteria grid. Role: administration of
/// the département only (as the grid grain's [Allow] on publishing); any other role is refused with a French
/// page (HTTP 403) written to the audit trail. Publishing goes through the application's PublishGrid use case.
/// </summary>
public abstract class AdminPage : WebPage
{
    public static readonly IReadOnlyList<Role> Roles = [Role.Admin];

    [Inject] protected IGrainFactory GrainFactory { get; set; } = null!;
    [Inject] protected IServiceProvider Services { get; set; } = null!;
    [Inject] protected TimeProvider Clock { get; set; } = null!;

    protected string Department => Caller.Department ?? "";

    protected string? Done => Http?.Request.Query["fait"].FirstOrDefault();

    protected sealed override async Task LoadAsync()
    {
        string? reason = !Roles.Contains(Caller.Role)
            ? $"Accès refusé : les pages d'administration sont ouvertes à l'administration seulement, pas au rôle « {Caller.Role.French()} »."
            : string.IsNullOrEmpty(Caller.Department)
                ? "Accès refusé : votre jeton ne porte pas de département ; reconnectez-vous en indiquant votre département."
                : null;
        if (reason is not null)
        {
            if (Services.GetService<IAuditTrail>() is { } audit)
            {
                var path = Http?.Request.Path.Value ?? "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
                await audit.AppendAsync(new AuditEntry(Clock.GetUtcNow(), Caller.Subject, Caller.Role, "Page " + path, AuditKind.Read, path, AuditOutcome.Denied, reason));
            }
            Refuse(reason);
            return;
        }
        await LoadAdminAsync();
    }

    protected abstract Task LoadAdminAsync();
}
