using Listes360.Domain;
using Listes360.Domain.Security;
using Listes360.Grains.Security;
using Listes360.Web.Sessions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components;

/// <summary>
/// A page for a signed-in caller: sends whoever is not signed in to the sign-in page (and back),
/// runs grain calls as the caller (<see cref="AsCallerAsync{T}"/>), and turns a refusal of the grain
/// authorization filter into an HTTP 403 with its French reason.
/// </summary>
public abstract class WebPage : ComponentBase
{
    [Inject] protected WebCaller Session { get; set; } = null!;
    [Inject] protected NavigationManager Navigation { get; set; } = null!;
    [Inject] protected IWebSignIn SignInRules { get; set; } = null!;
    [CascadingParameter] protected HttpContext? Http { get; set; }

    /// <summary>The signed-in caller (never null once <see cref="LoadAsync"/> runs).</summary>
    protected Caller Caller { get; private set; } = null!;

    /// <summary>Why the page is refused (French), when it is: the page shows it and answers 403.</summary>
    protected string? Refusal { get; private set; }

    /// <summary>True once the caller is known and the page may render its content.</summary>
    protected bool Ready { get; private set; }

    protected sealed override async Task OnInitializedAsync()
    {
        var caller = await Session.GetAsync();
        if (caller is null)
        {
            var path = Navigation.ToBaseRelativePath(Navigation.Uri);
            Navigation.NavigateTo($"{WebSession.SignInPathFor(SignInRules)}?retour={Uri.EscapeDataString("/" + path)}");
            return;
        }
        Caller = caller;
        try
        {
            await LoadAsync();
            Ready = Refusal is null && Missing is null;
        }
        catch (DomainException e) when (e.Code == "FORBIDDEN")
        {
            Refuse(e.Message);
        }
    }

    /// <summary>The page's reads, as <see cref="Caller"/>.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Refuses the page (HTTP 403, the reason shown).</summary>
    protected void Refuse(string reason)
    {
        Refusal = reason;
        Ready = false;
        if (Http is { Response.HasStarted: false })
            Http.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    /// <summary>Why nothing is found at this address (French): the page shows it and answers 404.</summary>
    protected string? Missing { get; private set; }

    protected void NotFound(string reason)
    {
        Missing = reason;
        Refusal = null;
        if (Http is { Response.HasStarted: false })
            Http.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    /// <summary>
    /// Why a caller may not open a family of pages, or null: its role is not one of <paramref name="roles"/>
    /// (the refusal names <paramref name="pages"/> and <paramref name="openTo"/>, in French), or its token has no département.
    /// </summary>
    public static string? RoleRefusal(Caller caller, IReadOnlyList<Role> roles, string pages, string openTo) =>
        !roles.Contains(caller.Role)
            ? $"Accès refusé : {pages} sont ouvertes {openTo}, pas au rôle « {caller.Role.French()} »."
            : string.IsNullOrEmpty(caller.Department)
                ? "Accès refusé : votre jeton ne porte pas de département ; reconnectez-vous en indiquant votre département."
                : null;

    /// <summary>
    /// The role check of a family of pages: when <paramref name="refusal"/> is set, it is written to the audit trail
    /// (like a refusal of the grain authorization filter) and the page is refused (HTTP 403); true when the page may load.
    /// </summary>
    protected async Task<bool> AllowedAsync(string? refusal)
    {
        if (refusal is null)
            return true;
        var services = Http?.RequestServices;
        if (services?.GetService<IAuditTrail>() is { } audit)
        {
            var path = Http?.Request.Path.Value ?? "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
            await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), Caller.Subject, Caller.Role, "Page " + path, AuditKind.Read, path, AuditOutcome.Denied, refusal));
        }
        Refuse(refusal);
        return false;
    }

    /// <summary>Calls grains (or a use case's reads) as the signed-in caller: same authorization filter, same audit as GraphQL.</summary>
    protected Task<T> AsCallerAsync<T>(Func<Task<T>> work) => Session.RunAsync(Caller, work);
}
