using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Vacancies;

/// <summary>
/// The freed places of one ESMS (key: its FINESS number): opened by the ESMS's declarations of places, by
/// exits, and by admissions elsewhere of the persons it supports (vacancy chains); proposed to the top of
/// the harmonised ranking, offered one candidate at a time (the candidature's OFFERED transition), closed
/// by an admission or withdrawn with a reason. A territorial staff member whose token names a territory
/// sees only the vacancies of that territory's ESMS.
/// </summary>
[Alias("Listes360.Vacancies.IVacancyGrain")]
public interface IVacancyGrain : IGrainWithStringKey
{
    /// <summary>The vacancies kept (open ones, then the last closed ones), most recent first; optionally only open ones.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("ListAsync")]
    Task<IReadOnlyList<Vacancy>> ListAsync(bool openOnly);

    /// <summary>One vacancy, or null when this ESMS has none under this id.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("GetAsync")]
    Task<Vacancy?> GetAsync(string vacancyId);

    /// <summary>A person left the ESMS (with its reason): a vacancy opens for that modality, with its proposals.</summary>
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("RecordExitAsync")]
    Task<Vacancy> RecordExitAsync(Modality modality, ExitReason reason, DateOnly date, string by);

    /// <summary>Proposes again the top <paramref name="count"/> of the ranking in force (an open vacancy without a pending offer).</summary>
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("ProposeAsync")]
    Task<Vacancy> ProposeAsync(string vacancyId, int count, string by);

    /// <summary>
    /// Records the offer of the vacancy to one proposed candidature (the caller then moves the candidature to
    /// OFFERED; if that is refused, <see cref="CancelOfferAsync"/> takes the offer back).
    /// </summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("OfferAsync")]
    Task<Vacancy> OfferAsync(string vacancyId, CandidatureId candidature, string by);

    /// <summary>The candidature could not move to OFFERED: the offer just recorded is taken back.</summary>
    [Internal]
    [Alias("CancelOfferAsync")]
    Task CancelOfferAsync(string vacancyId, CandidatureId candidature, string by);

    /// <summary>Withdraws an open vacancy, with its reason.</summary>
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Finess)]
    [Alias("WithdrawAsync")]
    Task<Vacancy> WithdrawAsync(string vacancyId, string reason, string by);

    /// <summary>The ESMS declared places of one modality (from <see cref="IEsmsGrain"/>'s outbox): vacancies &gt; 0 open vacancies.</summary>
    [Internal]
    [Alias("OnPlacesDeclaredAsync")]
    Task OnPlacesDeclaredAsync(EsmsProfile profile, Places places, string by);

    /// <summary>A person this ESMS supports was admitted elsewhere (from the person's outbox): a chain link.</summary>
    [Internal]
    [Alias("OnAdmissionElsewhereAsync")]
    Task OnAdmissionElsewhereAsync(AdmissionElsewhere exit);

    /// <summary>A candidature to this ESMS changed (from the ESMS's outbox): a pending offer follows it.</summary>
    [Internal]
    [Alias("FollowCandidatureAsync")]
    Task FollowCandidatureAsync(EsmsCandidatureView view);

    /// <summary>The daily expiry pass now (what its reminder does): offers past their deadline back to the waiting list; how many.</summary>
    [Internal]
    [Alias("RunExpiryPassAsync")]
    Task<int> RunExpiryPassAsync();

    /// <summary>The vacancy this candidature's admission filled here, if any (for a chain starting elsewhere).</summary>
    [ReadOnly, AlwaysInterleave]
    [Internal]
    [Alias("FilledByAsync")]
    Task<FilledVacancy?> FilledByAsync(CandidatureId candidature);
}

/// <summary>
/// The vacancies of one département without names (key: département code): each vacancy's summary, for the
/// chains and indicators the observatory reads. Bounded: the <see cref="MaxKept"/> most recent.
/// </summary>
[Alias("Listes360.Vacancies.IVacancyChainGrain")]
public interface IVacancyChainGrain : IGrainWithStringKey
{
    public const int MaxKept = 5_000;

    [Internal]
    [Alias("ApplyAsync")]
    Task ApplyAsync(VacancySummary summary);

    /// <summary>The chains of at least <paramref name="minLength"/> vacancies, the longest first (no names).</summary>
    [ReadOnly]
    [Allow(Role.Observatory, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetChainsAsync")]
    Task<IReadOnlyList<VacancyChainView>> GetChainsAsync(int minLength);

    /// <summary>Median days from vacancy to admission by kind, share filled from the top 3, refusals per vacancy.</summary>
    [ReadOnly]
    [Allow(Role.Observatory, Role.TerritorialStaff, Role.Admin, Scope = KeyScope.Department)]
    [Alias("GetIndicatorsAsync")]
    Task<VacancyIndicatorsView> GetIndicatorsAsync();
}

[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyChainView")]
public sealed record VacancyChainView(
    [property: Id(0)] string Root,
    [property: Id(1)] DateOnly FirstOpenedOn,
    [property: Id(2)] int Length,
    [property: Id(3)] int Filled,
    [property: Id(4)] int Open,
    [property: Id(5)] IReadOnlyList<KindOfSupport> Kinds,
    [property: Id(6)] int? DaysToLastAdmission,
    [property: Id(7)] int PersonsWithoutSolutionPlaced)
{
    public static VacancyChainView Of(VacancyChain c) =>
        new(c.Root, c.FirstOpenedOn, c.Length, c.Filled, c.Open, [.. c.Kinds], c.DaysToLastAdmission, c.PersonsWithoutSolutionPlaced);
}

[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.KindDelayView")]
public sealed record KindDelayView([property: Id(0)] KindOfSupport Kind, [property: Id(1)] int Filled, [property: Id(2)] double? MedianDays);

[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyIndicatorsView")]
public sealed record VacancyIndicatorsView(
    [property: Id(0)] int Vacancies,
    [property: Id(1)] int Filled,
    [property: Id(2)] int Open,
    [property: Id(3)] int Withdrawn,
    [property: Id(4)] IReadOnlyList<KindDelayView> MedianDaysToAdmissionByKind,
    [property: Id(5)] double? ShareFilledFromTop3,
    [property: Id(6)] double? RefusalsPerVacancy,
    [property: Id(7)] double? CountedRefusalsPerVacancy)
{
    public static VacancyIndicatorsView Of(VacancyIndicators i) =>
        new(i.Vacancies, i.Filled, i.Open, i.Withdrawn, [.. i.MedianDaysToAdmissionByKind.Select(k => new KindDelayView(k.Kind, k.Filled, k.MedianDays))],
            i.ShareFilledFromTop3, i.RefusalsPerVacancy, i.CountedRefusalsPerVacancy);
}
