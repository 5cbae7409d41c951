using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Common;
using Listes360.Grains.Grid;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Vacancies;

/// <summary>What a vacancy grain's receivers must learn: the département's summary (chains, indicators), the ESMS's hook.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyEffect")]
public abstract record VacancyEffect
{
    public abstract string Key { get; }
}

[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.SummaryToDepartment")]
public sealed record SummaryToDepartment([property: Id(0)] VacancySummary Summary) : VacancyEffect
{
    public override string Key => "summary/" + Summary.Id;
}

[GenerateSerializer, Alias("Listes360.Vacancies.VacancyState")]
public sealed class VacancyState
{
    [Id(0)] public VacancyBook? Book { get; set; }
    [Id(1)] public Outbox<VacancyEffect> Pending { get; set; } = new();
}

/// <summary>
/// Holds the <see cref="VacancyBook"/> of one ESMS: loads it, asks the domain, writes the book with its
/// effects once (the one outbox), then delivers them. Reads of the ranking and grid are made as the
/// service itself (the vacancy proposes from the ranking whoever's action opened it).
/// </summary>
public sealed class VacancyGrain : Grain, IVacancyGrain
{
    private readonly IPersistentState<VacancyState> state;
    private readonly TimeProvider clock;
    private readonly OutboxDelivery<VacancyEffect> outbox;

    public VacancyGrain([PersistentState("vacancies", StorageNames.Main)] IPersistentState<VacancyState> state, TimeProvider clock, ILogger<VacancyGrain> logger)
    {
        this.state = state;
        this.clock = clock;
        outbox = new OutboxDelivery<VacancyEffect>(this, () => state.State.Pending, DeliverAsync, persist: null, logger);
    }

    private FinessNumber Finess => FinessNumber.Parse(this.GetPrimaryKeyString());
    private VacancyBook Book => state.State.Book ?? VacancyBook.Empty(Finess);
    private DateOnly Today => ParisDate.Today(clock);
    private static string By(string by) => CallerContext.Current?.Subject ?? by;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => outbox.DeliverAsync();

    public Task<IReadOnlyList<Vacancy>> ListAsync(bool openOnly) =>
        Task.FromResult<IReadOnlyList<Vacancy>>(Book.Vacancies
            .Where(v => (!openOnly || v.IsOpen) && Visible(v))
            .OrderByDescending(v => v.IsOpen).ThenByDescending(v => v.OpenedOn).ThenByDescending(v => v.Id, StringComparer.Ordinal)
            .ToList());

    public Task<Vacancy?> GetAsync(string vacancyId)
    {
        var vacancy = Book.Vacancies.FirstOrDefault(v => v.Id == vacancyId);
        if (vacancy is not null)
            RequireVisible(vacancy);
        return Task.FromResult(vacancy);
    }

    public async Task<Vacancy> RecordExitAsync(Modality modality, ExitReason reason, DateOnly date, string by)
    {
        var profile = await ProfileAsync();
        RequireTerritory(profile.Territory);
        var change = Book.RecordExit(profile, modality, reason, date, Today, clock.GetUtcNow(), By(by));
        change = await ProposeOpenedAsync(change);
        await CommitAsync(change);
        return change.Book.Find(change.Changed[0].Id);
    }

    public async Task<Vacancy> ProposeAsync(string vacancyId, int count, string by)
    {
        RequireVisible(Book.Find(vacancyId));
        var (grid, ranking) = await RankingAsync(Book.Find(vacancyId));
        if (grid is null || ranking is null)
            throw new DomainException("NO_GRID", $"Aucune grille d'admission n'est en vigueur pour le département {Finess.Department} : les candidats ne peuvent pas être proposés.", "vacancyId");
        var change = Book.Propose(vacancyId, ranking, grid, count, Today, clock.GetUtcNow(), By(by));
        await CommitAsync(change);
        return change.Book.Find(vacancyId);
    }

    public async Task<Vacancy> OfferAsync(string vacancyId, CandidatureId candidature, string by)
    {
        RequireVisible(Book.Find(vacancyId));
        var grid = await GridAsync() ?? throw new DomainException("NO_GRID",
            $"Aucune grille d'admission n'est en vigueur pour le département {Finess.Department} : le délai de réponse n'est pas défini.", "vacancyId");
        var change = Book.Offer(vacancyId, candidature, grid, Today, clock.GetUtcNow(), By(by));
        await CommitAsync(change);
        return change.Book.Find(vacancyId);
    }

    public Task CancelOfferAsync(string vacancyId, CandidatureId candidature, string by) =>
        CommitAsync(Book.CancelOffer(vacancyId, candidature, clock.GetUtcNow(), by));

    public async Task<Vacancy> WithdrawAsync(string vacancyId, string reason, string by)
    {
        RequireVisible(Book.Find(vacancyId));
        var change = Book.Withdraw(vacancyId, reason, clock.GetUtcNow(), By(by));
        await CommitAsync(change);
        return change.Book.Find(vacancyId);
    }

    public async Task OnPlacesDeclaredAsync(EsmsProfile profile, Places places, string by)
    {
        var change = Book.OnPlacesDeclared(profile, places, clock.GetUtcNow(), by);
        await CommitAsync(await ProposeOpenedAsync(change));
    }

    public async Task OnAdmissionElsewhereAsync(AdmissionElsewhere exit)
    {
        if (Book.Vacancies.Any(v => v.Id == VacancyIds.ForAdmissionElsewhere(Finess, exit.AdmittedCandidature)))
            return;
        var profile = await ProfileAsync();
        FilledVacancy? previous;
        using (CallerContext.As(Caller.ServiceItself))
            previous = await GrainFactory.GetGrain<IVacancyGrain>(exit.AdmittingFiness.Value).FilledByAsync(exit.AdmittedCandidature);
        var change = Book.OnAdmissionElsewhere(profile, exit, previous, clock.GetUtcNow());
        await CommitAsync(await ProposeOpenedAsync(change));
    }

    public async Task FollowCandidatureAsync(EsmsCandidatureView view)
    {
        if (!Book.Vacancies.Any(v => v.PendingOffer?.CandidatureId == view.Id))
            return;
        var grid = await GridAsync();
        await CommitAsync(Book.Follow(view.Id, view.Status, view.Reason, view.UpdatedAt, grid?.Offers, grid?.Version ?? 0, Today, clock.GetUtcNow()));
    }

    public Task<FilledVacancy?> FilledByAsync(CandidatureId candidature) => Task.FromResult(Book.FilledBy(candidature));

    /// <summary>Each vacancy just opened gets its proposals from the ranking in force (none when no grid: said in its steps).</summary>
    private async Task<VacancyChange> ProposeOpenedAsync(VacancyChange change)
    {
        var book = change.Book;
        var changed = change.Changed.ToBuilder();
        for (var i = 0; i < changed.Count; i++)
        {
            var vacancy = changed[i];
            if (vacancy.Proposal is not null || !vacancy.IsOpen)
                continue;
            var (grid, ranking) = await RankingAsync(vacancy);
            if (grid is null || ranking is null)
                continue;
            var proposed = book.Propose(vacancy.Id, ranking, grid, VacancyBook.DefaultProposed, Today, clock.GetUtcNow(), Actors.System);
            book = proposed.Book;
            changed[i] = proposed.Changed[0];
        }
        return change with { Book = book, Changed = changed.ToImmutable() };
    }

    private async Task<(CriteriaGrid?, RankingResult?)> RankingAsync(Vacancy vacancy)
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        var grid = await GrainFactory.GetGrain<IGridGrain>(Finess.Department).GetInForceAsync(Today);
        if (grid is null)
            return (null, null);
        var ranking = await GrainFactory.GetGrain<IRankingGrain>(RankingKeys.Of(Finess, vacancy.Modality)).GetAsync(null);
        return ranking.GridVersion == grid.Version ? (grid, ranking) : (grid, ranking with { GridVersion = grid.Version });
    }

    private async Task<CriteriaGrid?> GridAsync()
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        return await GrainFactory.GetGrain<IGridGrain>(Finess.Department).GetInForceAsync(Today);
    }

    private async Task<EsmsProfile> ProfileAsync()
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        return await GrainFactory.GetGrain<IEsmsGrain>(Finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {Finess}.", "finess");
    }

    private async Task CommitAsync(VacancyChange change)
    {
        if (change.IsEmpty)
            return;
        var s = state.State;
        var before = (s.Book, s.Pending.Items.ToList());
        try
        {
            s.Book = change.Book;
            foreach (var vacancy in change.Changed)
                s.Pending.Put("summary/" + vacancy.Id, new SummaryToDepartment(VacancySummary.Of(vacancy)));
            foreach (var effect in VacancyNotices.Of(change))
                s.Pending.Put(effect.Key, effect);
        }
        catch
        {
            (s.Book, s.Pending.Items) = before;
            throw;
        }
        await state.WriteOrRestoreAsync("les places libérées de cet ESMS");
        outbox.DeliveredSinceWrite = false;
        await outbox.DeliverAsync();
    }

    private Task DeliverAsync(VacancyEffect effect)
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        return effect switch
        {
            SummaryToDepartment e => GrainFactory.GetGrain<IVacancyChainGrain>(Finess.Department).ApplyAsync(e.Summary),
            _ => VacancyNotices.DeliverAsync(GrainFactory, effect),
        };
    }

    private static bool Visible(Vacancy vacancy) =>
        CallerContext.Current is not { } caller || AccessPolicy.DenyScope(caller, KeyScope.Territory, vacancy.Territory) is null;

    private static void RequireVisible(Vacancy vacancy) => RequireTerritory(vacancy.Territory);

    private static void RequireTerritory(string? territory)
    {
        if (CallerContext.Current is { Role: Role.TerritorialStaff } caller && AccessPolicy.DenyScope(caller, KeyScope.Territory, territory) is { } refusal)
            throw new DomainException("FORBIDDEN", refusal);
    }
}

/// <summary>Notifications of vacancy steps beyond the département's summary (the webhook, added later); none yet.</summary>
internal static class VacancyNotices
{
    public static IEnumerable<VacancyEffect> Of(VacancyChange change) => [];

    public static Task DeliverAsync(IGrainFactory grains, VacancyEffect effect) =>
        throw new InvalidOperationException($"Effet inconnu : {effect.GetType().Name}.");
}
