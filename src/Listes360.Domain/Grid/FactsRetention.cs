using Listes360.Domain.Candidatures;

namespace Listes360.Domain.Grid;

/// <summary>
/// A page of superseded facts versions moved out of a ranking's own state (to an archive grain):
/// its number, the earliest day one of its versions was recorded and the latest day one was
/// superseded, so that a past ranking reads only the pages that can hold a version in force then.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.FactsPage")]
public sealed record FactsPage(
    [property: Id(0)] int Number,
    [property: Id(1)] DateOnly FirstRecordedOn,
    [property: Id(2)] DateOnly LastSupersededOn,
    [property: Id(3)] int Count)
{
    /// <summary>Whether a version in force at the end of <paramref name="date"/> may be on this page.</summary>
    public bool MayHold(DateOnly date) => FirstRecordedOn <= date && LastSupersededOn > date;
}

/// <summary>A superseded version on its way to an archive page: the facts, from when and until when.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.SupersededFacts")]
public sealed record SupersededFacts(
    [property: Id(0)] DateOnly RecordedOn,
    [property: Id(1)] DateOnly SupersededOn,
    [property: Id(2)] CandidateFacts Facts);

/// <summary>
/// How a ranking's facts history stays bounded (the rules; the ranking grain applies them):
/// <list type="bullet">
/// <item>its own state keeps the current version of each candidature and at most
/// <see cref="SupersededKept"/> superseded ones; when they reach it, all of them move to one archive
/// page (nothing lost), so the state is « current facts + <see cref="SupersededKept"/> versions ».</item>
/// <item>past rankings are recomputed for the <see cref="WindowDays"/> days before today; beyond, a
/// precise refusal (<see cref="RequireInWindow"/>). What only served dates before the window is dropped:
/// archive pages whose every version was superseded before it, and candidatures closed before it
/// (a closed candidature is ranked on no date after its closing).</item>
/// </list>
/// The current facts themselves are one per open candidature (or closed within the window): what
/// the ESMS really has, about 170 bytes each (bench/state-size).
/// </summary>
public static class FactsRetention
{
    /// <summary>Past rankings are recomputed on this many days before today (a year, leap day included).</summary>
    public const int WindowDays = 366;

    /// <summary>Superseded versions kept in the ranking's own state before they move to an archive page.</summary>
    public const int SupersededKept = 512;

    /// <summary>The first day a past ranking can still be recomputed on.</summary>
    public static DateOnly WindowStart(DateOnly today) => today.AddDays(-WindowDays);

    public static void RequireInWindow(DateOnly date, DateOnly today)
    {
        var start = WindowStart(today);
        if (date < start)
            throw new DomainException("RANKING_HISTORY_EXPIRED",
                $"Le classement du {date:dd/MM/yyyy} ne peut plus être recalculé : les faits des candidatures ne sont conservés que sur les {WindowDays} derniers jours (classements recalculables depuis le {start:dd/MM/yyyy}).",
                "date");
    }

    /// <summary>
    /// Records a candidature's facts in its versions (recording order): a new version, or today's
    /// replaced (one version per day: a past ranking reads the facts at the end of its day). Returns
    /// false when they equal the current ones (nothing to record).
    /// </summary>
    public static bool Record(List<TimedFacts> versions, CandidateFacts facts, DateOnly today)
    {
        if (versions.Count > 0 && versions[^1].Facts.Equals(facts))
            return false;
        if (versions.Count > 0 && versions[^1].RecordedOn == today)
            versions[^1] = new TimedFacts(today, facts);
        else
            versions.Add(new TimedFacts(today, facts));
        return true;
    }

    /// <summary>The number of superseded versions (every version but each candidature's last).</summary>
    public static int SupersededCount(IReadOnlyDictionary<string, List<TimedFacts>> history) =>
        history.Values.Sum(v => Math.Max(0, v.Count - 1));

    /// <summary>The superseded versions, each with the day the next one replaced it, in supersession order.</summary>
    public static IReadOnlyList<SupersededFacts> Superseded(IReadOnlyDictionary<string, List<TimedFacts>> history) =>
        history.Values
            .SelectMany(v => v.Take(v.Count - 1).Select((t, i) => new SupersededFacts(t.RecordedOn, v[i + 1].RecordedOn, t.Facts)))
            .OrderBy(s => s.SupersededOn).ThenBy(s => s.Facts.CandidatureId.Value, StringComparer.Ordinal)
            .ToList();

    /// <summary>The index entry of a page holding <paramref name="versions"/> (not empty).</summary>
    public static FactsPage PageOf(int number, IReadOnlyList<SupersededFacts> versions) =>
        new(number, versions.Min(v => v.RecordedOn), versions.Max(v => v.SupersededOn), versions.Count);

    /// <summary>Keeps only each candidature's current version (once the others are safely archived).</summary>
    public static void KeepCurrentOnly(Dictionary<string, List<TimedFacts>> history)
    {
        foreach (var versions in history.Values.Where(v => v.Count > 1))
            versions.RemoveRange(0, versions.Count - 1);
    }

    /// <summary>
    /// Drops the candidatures closed before the window (their last version closed and recorded before it,
    /// so absent from every ranking the window can ask for); returns their ids.
    /// </summary>
    public static IReadOnlyList<string> DropClosedBeforeWindow(Dictionary<string, List<TimedFacts>> history, DateOnly today)
    {
        var start = WindowStart(today);
        var dropped = history
            .Where(h => h.Value.Count > 0 && h.Value[^1].RecordedOn < start && !h.Value[^1].Facts.Status.IsOpen())
            .Select(h => h.Key)
            .ToList();
        foreach (var id in dropped)
            history.Remove(id);
        return dropped;
    }

    /// <summary>The pages no date of the window can need (every version on them superseded before it).</summary>
    public static IReadOnlyList<FactsPage> PagesBeforeWindow(IEnumerable<FactsPage> pages, DateOnly today)
    {
        var start = WindowStart(today);
        return pages.Where(p => p.LastSupersededOn <= start).ToList();
    }

    /// <summary>
    /// Every candidature's facts as known at the end of <paramref name="date"/>: from the state's
    /// versions, completed by the archived ones when the state's are all more recent.
    /// </summary>
    public static IEnumerable<CandidateFacts> AsOf(IReadOnlyDictionary<string, List<TimedFacts>> history, IEnumerable<SupersededFacts> archived, DateOnly date)
    {
        var fromArchive = archived
            .Where(a => a.RecordedOn <= date && a.SupersededOn > date)
            .GroupBy(a => a.Facts.CandidatureId.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(a => a.RecordedOn)!.Facts, StringComparer.Ordinal);
        foreach (var (id, versions) in history)
        {
            if (FactsHistory.AsOf(versions, date) is { } facts)
                yield return facts;
            else if (fromArchive.Remove(id, out var old))
                yield return old;
        }
        // Candidatures dropped from the state (closed before the window) are not ranked on a window date anyway.
        foreach (var old in fromArchive.Values)
            yield return old;
    }
}
