using System.Collections.Immutable;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;

namespace Listes360.Domain.Tests.Sequential;

/// <summary>Builders for the sequential placement tests: made-up ESMS, candidates and declarations.</summary>
internal static class SequentialTestData
{
    public static readonly DateOnly Today = TestData.Today;
    public static readonly DateTimeOffset Now = TestData.Now;
    public const string Territory = "200071967";
    public const string OtherTerritory = "246100663";

    private static int _declarations;

    public static EsmsProfile Esms(string finess, string category = "382", string? territory = Territory, params Modality[] modalities) =>
        EsmsProfile.Create(FinessNumber.Parse(finess), "ESMS " + finess, category, modalities: modalities.Length == 0 ? null : modalities) with { Territory = territory };

    public static Places Capacity(Modality modality, int capacity) => Places.Declare(modality, capacity, 0, Today.AddYears(-1));

    public static AvailabilityDeclaration Declaration(Modality modality, int halfDays, int places, DateOnly? from = null, DateOnly? to = null) => new()
    {
        Id = $"D-{Interlocked.Increment(ref _declarations)}",
        Modality = modality,
        HalfDays = halfDays,
        Places = places,
        From = from ?? Today,
        To = to,
        DeclaredBy = "directrice",
        DeclaredAt = Now,
    };

    public static int Days(params DayOfWeek[] days) => days.Aggregate(0, (mask, d) => mask | WeekSlots.Mask(d, DayPart.FullDay));

    public static readonly int MonToWed = Days(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday);
    public static readonly int ThuFri = Days(DayOfWeek.Thursday, DayOfWeek.Friday);
    public static readonly int Weekdays = MonToWed | ThuFri;

    /// <summary>An ESMS with <paramref name="places"/> places free on <paramref name="halfDays"/> in <paramref name="modality"/> (capacity 10).</summary>
    public static EsmsOffer Offer(EsmsProfile profile, Modality modality, int halfDays, int places = 1) =>
        new(profile, EsmsAvailability.Empty(profile.Finess).Declare(Declaration(modality, halfDays, places), profile, Capacity(modality, 10)));

    public static SequentialCandidate Candidate(string id, int amount = 5, NeedUnit unit = NeedUnit.Days, KindOfSupport orientation = KindOfSupport.FoyerDeVie,
        DateOnly? birthDate = null, string? territory = Territory, double? maxKm = null, DateOnly? waitingSince = null, params Modality[] modalities) => new()
    {
        Person = PersonId.Parse(id),
        BirthDate = birthDate ?? new DateOnly(1990, 5, 1),
        Orientations = [Orientation.Create("CDAPH-" + id, orientation, Today.AddYears(-1), Today.AddYears(3))],
        Needs = SequentialNeeds.Create(amount, unit, modalities.Length == 0 ? [Modality.SemiResidential] : modalities, maxKm, null, Today, "conseillère", Now),
        Home = new HomeLocation("61001", territory),
        OldestWaitingRequest = waitingSince ?? Today.AddMonths(-6),
        Waiting = true,
    };

    public static SequentialQuery Query(int maxStructures = 3, FinessNumber? required = null, string? territory = null) => new()
    {
        Date = Today,
        Now = Now,
        MaxStructures = maxStructures,
        RequiredEsms = required,
        Territory = territory,
    };

    public static ImmutableArray<T> Arr<T>(params T[] items) => [.. items];
}
