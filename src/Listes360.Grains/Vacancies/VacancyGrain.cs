using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Maintenance;
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

/// <summary>The worklist items of one vacancy for the persons of one list shard (issue 19's notifications through the worklist).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.WorklistToShard")]
public sealed record WorklistToShard([property: Id(0)] string Shard, [property: Id(1)] VacancyWorklistItems Items) : VacancyEffect
{
    public override string Key => $"worklist/{Items.VacancyId}/{Shard}";
}

/// <summary>A change to post on the ESMS's signed webhook (the hook grain queues it, or drops it when none is configured).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.HookToEsms")]
public sealed record HookToEsms([property: Id(0)] VacancyHookMessage Message) : VacancyEffect
{
    public override string Key => "hook/" + Message.Id;
}

[GenerateSerializer, Alias("Listes360.Vacancies.VacancyState")]
public sealed class VacancyState
{
    [Id(0)] public VacancyBook? Book { get; set; }
    [Id(1)] public Outbox<VacancyEffect> Pending { get; set; } = new();
    /// <summary>The daily expiry reminder is registered (held while vacancies are open).</summary>
    [Id(2)] public bool ExpiryScheduled { get; set; }
}

/// <summary>
/// Holds the <see cref="VacancyBook"/> of one ESMS: loads it, asks the domain, writes the book with its
/// effects once (the one outbox), then delivers them. Reads of the ranking and grid are made as the
/// service itself (the vacancy proposes from the ranking whoever's action opened it).
/// </summary>
public sealed class VacancyGrain : Grain, IVacancyGrain, IRemindable
{
    public const string ExpiryReminder = "vacancy-expiry";
    /// <summary>The local hour of the daily expiry pass (the silo's time zone).</summary>
    public const int ExpiryHour = 2;

    private readonly IPersistentState<VacancyState> state;
    private readonly TimeProvider clock;
    private readonly Department.DepartmentTopology topology;
    private readonly ILogger<VacancyGrain> logger;
    private readonly OutboxDelivery<VacancyEffect> outbox;

    public VacancyGrain([PersistentState("vacancies", StorageNames.Main)] IPersistentState<VacancyState> state, TimeProvider clock,
        Department.DepartmentTopology topology, ILogger<VacancyGrain> logger)
    {
        this.state = state;
        this.clock = clock;
        this.topology = topology;
        this.logger = logger;
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
        if (!Book.Vacancies.Any(v => v.PendingOffer?.CandidatureId == view.Id || v.Status == VacancyStatus.Filled && v.FilledBy == view.Id))
            return;
        var grid = await GridAsync();
        await CommitAsync(Book.Follow(view.Id, view.Status, view.Reason, view.UpdatedAt, grid?.Offers, grid?.Version ?? 0, Today, clock.GetUtcNow()));
    }

    public Task<FilledVacancy?> FilledByAsync(CandidatureId candidature) => Task.FromResult(Book.FilledBy(candidature));

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ExpiryReminder ? RunExpiryPassAsync() : Task.CompletedTask;

    /// <summary>
    /// The daily pass: each offer past its deadline goes back to the waiting list (OFFERED → WAITING, reason « retour en
    /// liste d'attente », by the service; no refusal deduced, said in the vacancy's steps) and the vacancy passes to the
    /// next proposed candidate; an open vacancy whose proposed candidates were all asked gets the ranking's top again.
    /// A failure on one offer is logged and retried the next day; the others go on.
    /// </summary>
    public async Task<int> RunExpiryPassAsync()
    {
        var expired = 0;
        foreach (var offer in Book.OverdueOffers(Today))
        {
            try
            {
                // The person's file answers through the ESMS, which tells this grain (FollowCandidatureAsync): the call chain may re-enter here.
                using (CallerContext.As(Caller.ServiceItself))
                using (RequestContext.AllowCallChainReentrancy())
                    await GrainFactory.GetGrain<Persons.IPersonGrain>(offer.PersonId.Value)
                        .ChangeCandidatureStatusAsync(offer.CandidatureId, CandidatureStatus.Waiting, CandidatureReason.BackToWaitingList, Actors.System);
                // Followed here too, whether the ESMS's delivery came through already or comes later (then it changes nothing).
                var grid = await GridAsync();
                await CommitAsync(Book.Follow(offer.CandidatureId, CandidatureStatus.Waiting, CandidatureReason.BackToWaitingList, clock.GetUtcNow(),
                    grid?.Offers, grid?.Version ?? 0, Today, clock.GetUtcNow()));
                expired++;
            }
            catch (DomainException e)
            {
                logger.LogWarning("Passe d'expiration de l'ESMS {Finess} : offre de la candidature {Candidature} non expirée ({Code})", Finess, offer.CandidatureId, e.Code);
            }
        }
        foreach (var vacancy in Book.WithoutCandidateLeft())
        {
            var (grid, ranking) = await RankingAsync(vacancy);
            if (grid is null || ranking is null)
                continue;
            var proposed = Book.Propose(vacancy.Id, ranking, grid, VacancyBook.DefaultProposed, Today, clock.GetUtcNow(), Actors.System);
            // Nobody new to propose: nothing written (no step a day for an empty ranking).
            if (proposed.Changed[0].NotYetOffered.Count > 0)
                await CommitAsync(proposed);
        }
        await UpdateExpiryReminderAsync();
        return expired;
    }

    /// <summary>The daily reminder while vacancies are open, none otherwise (one write of the reminder table when that changes).</summary>
    private async Task UpdateExpiryReminderAsync()
    {
        var open = Book.Vacancies.Any(v => v.IsOpen);
        if (open == state.State.ExpiryScheduled)
            return;
        if (open)
            await this.RegisterOrUpdateReminder(ExpiryReminder, DailySchedule.DueIn(clock.GetUtcNow(), clock.LocalTimeZone, ExpiryHour), TimeSpan.FromDays(1));
        else if (await this.GetReminder(ExpiryReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
        state.State.ExpiryScheduled = open;
        await state.WriteOrRestoreAsync("le rappel quotidien des places libérées");
    }

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
            var previous = Book;
            s.Book = change.Book;
            foreach (var vacancy in change.Changed)
                s.Pending.Put("summary/" + vacancy.Id, new SummaryToDepartment(VacancySummary.Of(vacancy)));
            foreach (var effect in VacancyNotices.Of(previous, change, topology, clock.GetUtcNow()))
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
        await UpdateExpiryReminderAsync();
    }

    private Task DeliverAsync(VacancyEffect effect)
    {
        using var _ = CallerContext.As(Caller.ServiceItself);
        return effect switch
        {
            SummaryToDepartment e => GrainFactory.GetGrain<IVacancyChainGrain>(Finess.Department).ApplyAsync(e.Summary),
            _ => VacancyNotices.DeliverAsync(GrainFactory, Finess, effect),
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

/// <summary>What a change tells beyond the département's summary: the worklist items of the persons concerned, the ESMS's webhook.</summary>
internal static class VacancyNotices
{
    public static IEnumerable<VacancyEffect> Of(VacancyBook before, VacancyChange change, Department.DepartmentTopology topology, DateTimeOffset at)
    {
        foreach (var vacancy in change.Changed)
        {
            var old = VacancyWorklist.ItemsOf(before.Vacancies.FirstOrDefault(v => v.Id == vacancy.Id));
            var now = VacancyWorklist.ItemsOf(vacancy);
            // Every shard that had or has an item of this vacancy gets its persons' items (none: removed there).
            foreach (var shard in old.Concat(now).Select(i => WaitingList.WaitingListTopology.ListShardOf(topology, i.Person)).Distinct())
                yield return new WorklistToShard(shard, new VacancyWorklistItems(vacancy.Id, vacancy.Finess, vacancy.Version,
                    [.. now.Where(i => WaitingList.WaitingListTopology.ListShardOf(topology, i.Person) == shard)]));
            if (VacancyHookRules.MessageOf(vacancy, at) is { } message)
                yield return new HookToEsms(message);
        }
    }

    public static Task DeliverAsync(IGrainFactory grains, FinessNumber finess, VacancyEffect effect) => effect switch
    {
        WorklistToShard e => grains.GetGrain<WaitingList.IWaitingListShardGrain>(e.Shard).ApplyVacancyItemsAsync(e.Items),
        HookToEsms e => grains.GetGrain<IVacancyHookGrain>(finess.Value).EnqueueAsync(e.Message),
        _ => throw new InvalidOperationException($"Effet inconnu : {effect.GetType().Name}."),
    };
}
