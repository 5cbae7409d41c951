using Listes360.Application.Observatory;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components.Pages.Observatory;

/// <summary>
/// A page of the observatory (<c>/observatoire/…</c>): the département's indicators, the pseudonymous
/// rupture-risk list, the monthly report. Roles: the observatory, and the roles its grains also answer
/// (territorial staff, MDPH referents, administration) — never an ESMS director, refused here with a French
/// page (HTTP 403) written to the audit trail. The reads go through the same grains as GraphQL
/// (<see cref="RiskQueries"/>): counts and pseudonyms only, never a name, a birth date or an identifier.
/// </summary>
public abstract class ObservatoryPage : WebPage
{
    public static readonly IReadOnlyList<Role> Roles = [Role.Observatory, Role.TerritorialStaff, Role.MdphReferent, Role.Admin];

    /// <summary>Where the CSV files of the tables are served (<see cref="ObservatoryExports"/>).</summary>
    public const string CsvFolder = "/observatoire/donnees";

    [Inject] protected IServiceProvider Services { get; set; } = null!;
    [Inject] protected TimeProvider Clock { get; set; } = null!;

    protected string Department => Caller.Department ?? "";

    protected DateOnly Today => ParisDate.Today(Clock);

    protected RiskQueries Queries => ActivatorUtilities.CreateInstance<RiskQueries>(Services);

    /// <summary>Why the caller may not read the observatory (French), or null.</summary>
    public static string? RefusalFor(Caller caller) =>
        RoleRefusal(caller, Roles, "les pages de l'observatoire", "à l'observatoire, au staff territorial, aux référents MDPH et à l'administration");

    protected sealed override async Task LoadAsync()
    {
        if (await AllowedAsync(RefusalFor(Caller)))
            await LoadObservatoryAsync();
    }

    protected abstract Task LoadObservatoryAsync();
}
