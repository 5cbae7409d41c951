using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests;

/// <summary>Small builders for tests: made-up persons, real Orne FINESS numbers.</summary>
internal static class TestData
{
    public static readonly DateOnly Today = new(2026, 11, 23);
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    public const string Staff = "staff-1";

    public static readonly FinessNumber ImeFiness = FinessNumber.Parse("610000010");
    public static readonly FinessNumber OtherImeFiness = FinessNumber.Parse("610000093");

    public static PersonRecord Person(DateOnly birthDate, params Orientation[] orientations) => new()
    {
        Id = PersonId.Parse("61-test-person"),
        Identity = PersonIdentity.Create("MARTIN", ["Léa"], birthDate, Sex.Female, Today, residenceCommune: "61001"),
        Orientations = [.. orientations],
    };

    public static Orientation Orientation(KindOfSupport kind, DateOnly? from = null, DateOnly? to = null, params Modality[] modalities) =>
        Domain.Persons.Orientation.Create("CDAPH-2026-0001", kind, from ?? Today.AddYears(-1), to ?? Today.AddYears(2), modalities);

    public static EsmsProfile Esms(string category, FinessNumber? finess = null, params Modality[] modalities) =>
        EsmsProfile.Create(finess ?? ImeFiness, "ESMS de test", category, modalities: modalities.Length == 0 ? null : modalities);

    private static int counter;

    public static Candidature Candidature(KindOfSupport kind = KindOfSupport.Ime, Modality modality = Modality.SemiResidential,
        string person = "61-test-person", FinessNumber? finess = null, string? id = null) =>
        Domain.Candidatures.Candidature.Create(
            CandidatureId.Parse(id ?? $"C-{Interlocked.Increment(ref counter)}"),
            PersonId.Parse(person), finess ?? ImeFiness, modality, kind, Today.AddMonths(-6), Now, Staff);

    /// <summary>Walks a candidature to a status through the main path.</summary>
    public static Candidature At(this Candidature c, CandidatureStatus status)
    {
        var path = new[] { CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered, CandidatureStatus.Admitted };
        if (c.Status == status) return c;
        foreach (var next in path)
        {
            c = CandidatureStateMachine.Transition(c, next, null, Now, Staff);
            if (c.Status == status) return c;
        }
        throw new InvalidOperationException($"{status} is not on the main path");
    }

    public static ImmutableArray<T> Arr<T>(params T[] items) => [.. items];
}
