using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;

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
/// What a ranking keeps of a closed candidature (no ranking date after its closing reads its facts):
/// since when, its status and kind (to say why it is not ranked, and to undo an admission).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.ClosedCandidature")]
public sealed record ClosedCandidature(
    [property: Id(0)] DateOnly ClosedOn,
    [property: Id(1)] CandidatureStatus Status,
    [property: Id(2)] KindOfSupport Kind);

/// <summary>
/// How a ranking's facts history stays bounded (the rules; the ranking grain applies them):
/// <list type="bullet">
/// <item>its own state keeps the current version of each open candidature, a <see cref="ClosedCandidature"/>
/// (about 30 bytes) for each closed one, and at most <see cref="SupersededKept"/> superseded versions
/// (the versions before a closing included); when they reach it, they move to an archive page
/// (nothing lost), so the state is « open candidatures' facts + closed markers + <see cref="SupersededKept"/> versions ».</item>
/// <item>past rankings are recomputed for the <see cref="WindowDays"/> days before today; beyond, a
/// precise refusal (<see cref="RequireInWindow"/>). What only served dates before the window is dropped:
/// archive pages whose every version was superseded before it, and the markers of candidatures closed before it.</item>
/// </list>
/// The current facts themselves are one per open candidature: what the ESMS really has, about 170
/// bytes each (bench/state-size: 2,000 open candidatures and a year of changes stay under 512 KiB).
/// </summary>
public static class FactsRetention
{
    /// <summary>Past rankings are recomputed on this many days before today (a year, leap day included).</summary>
    public const int WindowDays = 366;

    /// <summary>Superseded versions kept in the ranking's own state before they move to an archive page.</summary>
    public const int SupersededKept = 256;

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
    /// Records a candidature's facts: a new version of an open one, or today's replaced (one version per
    /// day: a past ranking reads the facts at the end of its day); a closing moves its versions to the
    /// superseded <paramref name="pool"/> (superseded on the closing day) and leaves a marker in
    /// <paramref name="closed"/>; a reopening starts a new list. Returns whether anything changed and
    /// the status before (null: unknown to this ranking).
    /// </summary>
    public static (bool Changed, CandidatureStatus? Before) Record(Dictionary<string, List<TimedFacts>> history, List<SupersededFacts> pool,
        Dictionary<string, ClosedCandidature> closed, CandidateFacts facts, DateOnly today)
    {
        var id = facts.CandidatureId.Value;
        history.TryGetValue(id, out var versions);
        closed.TryGetValue(id, out var marker);
        CandidatureStatus? before = versions is { Count: > 0 } ? versions[^1].Facts.Status : marker?.Status;
        if (!facts.Status.IsOpen())
        {
            if (versions is null)
            {
                if (marker is not null && marker.Status == facts.Status && marker.Kind == facts.Kind)
                    return (false, before);
                closed[id] = new ClosedCandidature(marker?.ClosedOn ?? today, facts.Status, facts.Kind);
                return (true, before);
            }
            for (var i = 0; i < versions.Count; i++)
            {
                var until = i + 1 < versions.Count ? versions[i + 1].RecordedOn : today;
                if (versions[i].RecordedOn < until)
                    pool.Add(new SupersededFacts(versions[i].RecordedOn, until, versions[i].Facts));
            }
            history.Remove(id);
            closed[id] = new ClosedCandidature(today, facts.Status, facts.Kind);
            return (true, before);
        }
        closed.Remove(id);
        if (versions is null)
            history[id] = versions = [];
        if (versions.Count > 0 && versions[^1].Facts.Equals(facts))
            return (marker is not null, before);
        if (versions.Count > 0 && versions[^1].RecordedOn == today)
            versions[^1] = new TimedFacts(today, facts);
        else
            versions.Add(new TimedFacts(today, facts));
        return (true, before);
    }

    /// <summary>
    /// Turns the lists that end with a closed version (recorded before the markers existed) into a
    /// marker and pool entries, as <see cref="Record"/> would have; returns how many. Past rankings read the same.
    /// </summary>
    public static int MarkClosed(Dictionary<string, List<TimedFacts>> history, List<SupersededFacts> pool, Dictionary<string, ClosedCandidature> closed)
    {
        var finished = history.Where(h => h.Value.Count > 0 && !h.Value[^1].Facts.Status.IsOpen()).ToList();
        foreach (var (id, versions) in finished)
        {
            var last = versions[^1];
            for (var i = 0; i + 1 < versions.Count; i++)
                pool.Add(new SupersededFacts(versions[i].RecordedOn, versions[i + 1].RecordedOn, versions[i].Facts));
            history.Remove(id);
            closed[id] = new ClosedCandidature(last.RecordedOn, last.Facts.Status, last.Facts.Kind);
        }
        return finished.Count;
    }

    /// <summary>The number of superseded versions: the pool's and every version but each open candidature's last.</summary>
    public static int SupersededCount(IReadOnlyDictionary<string, List<TimedFacts>> history, IReadOnlyCollection<SupersededFacts> pool) =>
        pool.Count + history.Values.Sum(v => Math.Max(0, v.Count - 1));

    /// <summary>The superseded versions, each with the day the next one (or the closing) replaced it, in supersession order.</summary>
    public static IReadOnlyList<SupersededFacts> Superseded(IReadOnlyDictionary<string, List<TimedFacts>> history, IEnumerable<SupersededFacts> pool) =>
        history.Values
            .SelectMany(v => v.Take(v.Count - 1).Select((t, i) => new SupersededFacts(t.RecordedOn, v[i + 1].RecordedOn, t.Facts)))
            .Concat(pool)
            .OrderBy(s => s.SupersededOn).ThenBy(s => s.Facts.CandidatureId.Value, StringComparer.Ordinal).ThenBy(s => s.RecordedOn)
            .ToList();

    /// <summary>The index entry of a page holding <paramref name="versions"/> (not empty).</summary>
    public static FactsPage PageOf(int number, IReadOnlyList<SupersededFacts> versions) =>
        new(number, versions.Min(v => v.RecordedOn), versions.Max(v => v.SupersededOn), versions.Count);

    /// <summary>Keeps only each open candidature's current version and empties the pool (once the others are safely archived).</summary>
    public static void KeepCurrentOnly(Dictionary<string, List<TimedFacts>> history, List<SupersededFacts> pool)
    {
        pool.Clear();
        foreach (var versions in history.Values.Where(v => v.Count > 1))
            versions.RemoveRange(0, versions.Count - 1);
    }

    /// <summary>Drops the markers of candidatures closed before the window; returns their ids.</summary>
    public static IReadOnlyList<string> DropClosedBeforeWindow(Dictionary<string, ClosedCandidature> closed, DateOnly today)
    {
        var start = WindowStart(today);
        var dropped = closed.Where(c => c.Value.ClosedOn < start).Select(c => c.Key).ToList();
        foreach (var id in dropped)
            closed.Remove(id);
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
    /// versions, completed by the superseded ones (pool and archive pages) when the state's are all
    /// more recent or the candidature has closed since.
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
        // Candidatures closed since the date: their versions are all superseded ones.
        foreach (var old in fromArchive.Values)
            yield return old;
    }
}
