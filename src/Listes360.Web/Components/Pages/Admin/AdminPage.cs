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
        if (await AllowedAsync(RoleRefusal(Caller, Roles, "les pages d'administration", "à l'administration seulement")))
            await LoadAdminAsync();
    }

    protected abstract Task LoadAdminAsync();
}
