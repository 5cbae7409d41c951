using Listes360.Domain.Registry;

namespace Listes360.Domain.Grid;

/// <summary>One admission in a median's sample: which candidature, how long it waited, when admitted.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.AdmissionSample")]
public sealed record AdmissionSample(
    [property: Id(0)] string CandidatureId,
    [property: Id(1)] int WaitedDays,
    [property: Id(2)] DateOnly AdmittedOn);

/// <summary>
/// How the « similar requests » median stays bounded: per (kind of support, territory of the ESMS),
/// the <see cref="Kept"/> most recent admissions (by admission date, then by arrival), and the median
/// is the exact lower median of those. An older admission falls out of the sample when a more recent
/// one comes in; an admission undone leaves it (the sample is then one shorter until the next one).
/// So the state is at most <see cref="Kept"/> samples per key, whatever the years of admissions, and
/// the median follows the recent waits rather than the whole past — which is what a person asking
/// « how long do similar requests wait » needs. 51 rather than more: every sample full for the 23
/// kinds × 12 territories of a Nord-sized département is about 300 KiB (bench/state-size), under the
/// 512 KiB a state may take.
/// </summary>
public static class AdmissionWindow
{
    /// <summary>Admissions kept per (kind, territory): odd, so that the median is one of them.</summary>
    public const int Kept = 51;

    /// <summary>The key of a sample: kind and territory (none: «-»).</summary>
    public static string KeyOf(KindOfSupport kind, string? territory) => $"{kind}|{territory ?? "-"}";

    /// <summary>
    /// Records an admission in its key's sample (in place; replaces the same candidature's earlier record);
    /// returns false when it is already there unchanged or older than every kept one in a full sample.
    /// </summary>
    public static bool Record(Dictionary<string, List<AdmissionSample>> samples, AdmissionRecord admission)
    {
        var key = KeyOf(admission.Kind, admission.Territory);
        var sample = new AdmissionSample(admission.CandidatureId, admission.WaitedDays, admission.AdmittedOn);
        // A candidature is in one key at most: a record under another kind or territory moves it.
        var changed = Remove(samples, admission.CandidatureId, except: key);
        if (!samples.TryGetValue(key, out var list))
            samples[key] = list = [];
        var known = list.FindIndex(s => s.CandidatureId == admission.CandidatureId);
        if (known >= 0)
        {
            if (list[known] == sample)
                return changed;
            list.RemoveAt(known);
        }
        if (list.Count >= Kept && list[0].AdmittedOn > sample.AdmittedOn)
            return changed || known >= 0;
        // Kept in admission order (stable for equal dates): the oldest goes first.
        var at = list.FindLastIndex(s => s.AdmittedOn <= sample.AdmittedOn) + 1;
        list.Insert(at, sample);
        if (list.Count > Kept)
            list.RemoveRange(0, list.Count - Kept);
        return true;
    }

    /// <summary>Removes a candidature's admission from every sample (except <paramref name="except"/>); true when one was there.</summary>
    public static bool Remove(Dictionary<string, List<AdmissionSample>> samples, string candidatureId, string? except = null)
    {
        var removed = false;
        foreach (var (key, list) in samples)
            if (key != except)
                removed |= list.RemoveAll(s => s.CandidatureId == candidatureId) > 0;
        return removed;
    }

    /// <summary>The lower median of the kept admissions of that kind and territory, and how many it is over.</summary>
    public static WaitingTime Median(IReadOnlyDictionary<string, List<AdmissionSample>> samples, KindOfSupport kind, string? territory)
    {
        var days = samples.TryGetValue(KeyOf(kind, territory), out var list) ? list.Select(s => s.WaitedDays).Order().ToArray() : [];
        return new WaitingTime(kind, territory, days.Length, days.Length == 0 ? null : days[(days.Length - 1) / 2]);
    }
}
