using Listes360.Domain;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Web.Components.Pages.Referent;

/// <summary>
/// A page of the MDPH referent (<c>/referent/…</c>): the review queue of possible duplicates, a pair side by
/// side with its decision, a person's merges and splits and CDAPH orientations. Roles: MDPH referent and
/// administration of their département (as the grains' [Allow] on the review queue and merges); any other
/// role is refused with a French page (HTTP 403) written to the audit trail. Writes go through the
/// application's use cases (ResolveReview, MergePersons, SplitPerson, AddOrientation), as GraphQL's do.
/// </summary>
public abstract class ReferentPage : WebPage
{
    public static readonly IReadOnlyList<Role> Roles = [Role.MdphReferent, Role.Admin];

    [Inject] protected IGrainFactory GrainFactory { get; set; } = null!;
    [Inject] protected IServiceProvider Services { get; set; } = null!;
    [Inject] protected TimeProvider Clock { get; set; } = null!;

    protected string Department => Caller.Department ?? "";

    /// <summary>A success message after a redirect (PRG), from the address's « fait » parameter.</summary>
    protected string? Done => Http?.Request.Query["fait"].FirstOrDefault();

    protected IReviewQueueGrain Queue => GrainFactory.GetGrain<IReviewQueueGrain>(Department);

    protected sealed override async Task LoadAsync()
    {
        if (await AllowedAsync(RoleRefusal(Caller, Roles, "les pages des référents MDPH", "aux référents MDPH et à l'administration")))
            await LoadReferentAsync();
    }

    protected abstract Task LoadReferentAsync();

    /// <summary>Runs a write as the caller; a domain refusal gives its French message (shown next to the field), nothing changed.</summary>
    protected async Task<bool> TryAsync(Func<Task> work, Dictionary<string, string> errors, string field)
    {
        try
        {
            await AsCallerAsync(async () => { await work(); return 0; });
            return true;
        }
        catch (DomainException e) when (e.Code == "FORBIDDEN")
        {
            Refuse(e.Message);
            return false;
        }
        catch (DomainException e)
        {
            errors[field] = e.Message;
            if (Http is { Response.HasStarted: false })
                Http.Response.StatusCode = e.Code == "CONFLICT" ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return false;
        }
    }

    /// <summary>Reads a review item by id (the queue pages by 200, oldest first).</summary>
    protected async Task<ReviewItem?> FindItemAsync(string id)
    {
        string? after = null;
        while (true)
        {
            var page = await AsCallerAsync(() => Queue.ListAsync(false, after, 200));
            if (page.Items.FirstOrDefault(i => i.Id == id) is { } item)
                return item;
            if (!page.HasNextPage)
                return null;
            after = page.EndCursor;
        }
    }
}
