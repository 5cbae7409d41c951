using Listes360.Domain.Registry;

namespace Listes360.Domain.Grid;

public static class GridHistory
{
    /// <summary>
    /// The version in force on a date: the latest effective on or before it (the highest version when
    /// two take effect the same day), <c>null</c> before the first.
    /// </summary>
    public static CriteriaGrid? InForce(IEnumerable<CriteriaGrid> versions, DateOnly date) =>
        versions.Where(g => g.EffectiveFrom <= date)
            .OrderByDescending(g => g.EffectiveFrom).ThenByDescending(g => g.Version)
            .FirstOrDefault();

    /// <summary>
    /// Checks a new version against the history: it may not take effect before <paramref name="today"/>
    /// (no past ranking may change) nor before the latest version's start, and must be for the département.
    /// </summary>
    public static void RequirePublishable(CriteriaGrid next, string department, IReadOnlyList<CriteriaGrid> versions, DateOnly today)
    {
        var errors = new List<GridError>();
        if (!string.Equals(next.Department, department, StringComparison.Ordinal))
            errors.Add(new("$.department", $"La grille est celle du département {next.Department} ; elle ne peut pas être publiée pour le département {department}."));
        if (next.EffectiveFrom < today)
            errors.Add(new("$.effectiveFrom", $"Une grille ne peut pas entrer en vigueur dans le passé ({next.EffectiveFrom:dd/MM/yyyy} < {today:dd/MM/yyyy}) : les classements déjà établis ne changent pas."));
        if (versions.Count > 0 && next.EffectiveFrom < versions[^1].EffectiveFrom)
            errors.Add(new("$.effectiveFrom", $"La version {versions[^1].Version} entre en vigueur le {versions[^1].EffectiveFrom:dd/MM/yyyy} ; une nouvelle version ne peut pas commencer avant ({next.EffectiveFrom:dd/MM/yyyy})."));
        if (errors.Count > 0)
            throw new GridValidationException(errors);
    }
}

/// <summary>A request that ended in an admission: how long it waited, for "similar requests" medians.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.AdmissionRecord")]
public sealed record AdmissionRecord(
    [property: Id(0)] string CandidatureId,
    [property: Id(1)] KindOfSupport Kind,
    [property: Id(2)] string? Territory,
    [property: Id(3)] DateOnly RequestDate,
    [property: Id(4)] DateOnly AdmittedOn)
{
    public int WaitedDays => Math.Max(0, AdmittedOn.DayNumber - RequestDate.DayNumber);
}

/// <summary>The median wait of similar admitted requests (same kind of support, same territory of the ESMS).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.WaitingTime")]
public sealed record WaitingTime(
    [property: Id(0)] KindOfSupport Kind,
    [property: Id(1)] string? Territory,
    [property: Id(2)] int Admissions,
    [property: Id(3)] int? MedianDays);

public static class WaitingTimes
{
    /// <summary>The median wait in days (lower median for an even count) of the admissions of that kind and territory.</summary>
    public static WaitingTime Median(IEnumerable<AdmissionRecord> admissions, KindOfSupport kind, string? territory)
    {
        var days = admissions.Where(a => a.Kind == kind && a.Territory == territory).Select(a => a.WaitedDays).Order().ToArray();
        return new WaitingTime(kind, territory, days.Length, days.Length == 0 ? null : days[(days.Length - 1) / 2]);
    }
}
