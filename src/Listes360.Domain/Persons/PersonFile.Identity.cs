using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;

namespace Listes360.Domain.Persons;

/// <summary>
/// Merge and split on the person's side. The ESMS views follow by version: a moved candidature gets one
/// more version under its new owner, whose effects deliver it; the counts follow each side's change.
/// </summary>
public sealed partial record PersonFile
{
    /// <summary>The person and their candidatures, for a merge into another; refused on a tombstone.</summary>
    public MergePackage ToMergePackage() => new(LiveRecord, Candidatures.Values.ToList());

    /// <summary>Takes the merged person's candidatures (now this person's, one version more) and the orientations it lacked. Idempotent.</summary>
    public PersonFileChange<MergeRecord> Absorb(MergePackage package, string reason, string by, PersonFileContext context)
    {
        var record = LiveRecord;
        var from = package.Record.Id.Value;
        if (Merges.LastOrDefault(m => m.From == from && !m.Split) is { } done)
            return new(PersonFileChange.None(this), done);
        if (from == Id.Value)
            throw new DomainException("INVALID_MERGE", "Une personne ne peut pas être fusionnée avec elle-même.", "merged");
        var moved = package.Candidatures.Select(c => CandidatureStateMachine.MoveTo(c, Id, split: false, context.Now, by)).ToList();
        var orientations = record.Orientations.IsDefault ? [] : record.Orientations;
        var added = (package.Record.Orientations.IsDefault ? [] : package.Record.Orientations)
            .Where(o => !orientations.Any(known => known.DecisionReference == o.DecisionReference)).ToList();
        var merge = new MergeRecord(from, Id.Value, context.Now, by, reason, moved.Select(c => c.Id.Value).ToList(),
            added.Select(o => o.DecisionReference).ToList());
        var next = this with { Record = record with { Orientations = orientations.AddRange(added) }, Merges = Merges.Add(merge) };
        return new(next.Commit(moved, context, $"Personne {from} fusionnée dans {Id} ({moved.Count} candidature(s))."), merge);
    }

    /// <summary>Becomes a tombstone pointing at <paramref name="survivor"/>: no candidature left, counted nowhere. Idempotent.</summary>
    public PersonFileChange BecomeTombstone(string survivor, PersonFileContext context)
    {
        if (MergedInto == survivor)
            return PersonFileChange.None(this);
        _ = LiveRecord;
        // The survivor owns them now, with a newer version: nothing of them is delivered from here.
        var withdrawn = WithdrawnKeys(Candidatures.Values);
        var next = this with { MergedInto = survivor, Candidatures = Candidatures.Clear() };
        return next.Commit([], context, $"Personne {Id} fusionnée dans {survivor}.", withdrawn: withdrawn);
    }

    /// <summary>Gives back what the merge of <paramref name="merged"/> brought: its candidatures, returned to it, and its orientations.</summary>
    public PersonFileChange<ReleasedMerge> Release(string merged, string reason, string by, PersonFileContext context)
    {
        var record = LiveRecord;
        var index = Merges.FindLastIndex(m => m.From == merged && !m.Split);
        if (index < 0)
            throw new DomainException("NOT_MERGED", $"La personne {merged} n'a pas été fusionnée avec {Id}.", "merged");
        var merge = Merges[index];
        var returned = merge.Candidatures
            .Select(id => Candidatures.GetValueOrDefault(id))
            .OfType<Candidature>()
            .Select(c => CandidatureStateMachine.MoveTo(c, PersonId.Parse(merged), split: true, context.Now, by))
            .ToList();
        var split = merge with { Split = true, SplitAt = context.Now, SplitBy = by, SplitReason = reason, Candidatures = returned.Select(c => c.Id.Value).ToList() };
        var next = this with
        {
            Candidatures = Candidatures.RemoveRange(returned.Select(c => c.Id.Value)),
            Record = record with
            {
                Orientations = record.Orientations.RemoveAll(o => merge.Orientations.Contains(o.DecisionReference, StringComparer.Ordinal)),
            },
            Merges = Merges.SetItem(index, split),
        };
        return new(next.Commit([], context, $"Personne {merged} séparée de {Id} ({returned.Count} candidature(s) rendue(s)).", withdrawn: WithdrawnKeys(returned)),
            new ReleasedMerge(split, returned));
    }

    /// <summary>Stops being a tombstone and takes its candidatures back.</summary>
    public PersonFileChange Restore(IReadOnlyList<Candidature> candidatures, PersonFileContext context)
    {
        if (Record is null)
            throw Unknown(Id);
        return (this with { MergedInto = null }).Commit(candidatures, context, $"Personne {Id} rétablie avec {candidatures.Count} candidature(s).");
    }

    private static ImmutableArray<string> WithdrawnKeys(IEnumerable<Candidature> candidatures) =>
        candidatures.SelectMany(c => new[] { CandidatureToEsms.EsmsKey(c.Id), FactsToRanking.RankingKey(c.Id) }).ToImmutableArray();
}
