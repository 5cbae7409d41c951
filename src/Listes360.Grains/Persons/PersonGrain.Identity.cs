using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Grains.Identity;

namespace Listes360.Grains.Persons;

/// <summary>
/// Merge and split on the person's side. The ESMS views follow by version: a moved candidature gets one
/// more version under its new owner, whose outbox delivers it; the counts follow each side's commit.
/// </summary>
public sealed partial class PersonGrain
{
    public Task<MergePackage> GetMergePackageAsync() =>
        Task.FromResult(new MergePackage(Record, state.State.Candidatures.Values.ToList()));

    public async Task<MergeRecord> AbsorbAsync(MergePackage package, string reason, string by)
    {
        var record = Record;
        var from = package.Record.Id.Value;
        if (state.State.Merges.LastOrDefault(m => m.From == from && !m.Split) is { } done)
            return done;
        if (from == Id.Value)
            throw new DomainException("INVALID_MERGE", "Une personne ne peut pas être fusionnée avec elle-même.", "merged");
        var now = clock.GetUtcNow();
        var moved = package.Candidatures.Select(c => CandidatureStateMachine.MoveTo(c, Id, split: false, now, by)).ToList();
        var orientations = record.Orientations.IsDefault ? [] : record.Orientations;
        var added = (package.Record.Orientations.IsDefault ? [] : package.Record.Orientations)
            .Where(o => !orientations.Any(known => known.DecisionReference == o.DecisionReference)).ToList();
        state.State.Record = record with { Orientations = orientations.AddRange(added) };
        var merge = new MergeRecord(from, Id.Value, now, by, reason, moved.Select(c => c.Id.Value).ToList(),
            added.Select(o => o.DecisionReference).ToList());
        state.State.Merges.Add(merge);
        await CommitAsync(moved);
        return merge;
    }

    public async Task BecomeTombstoneAsync(string survivor)
    {
        if (state.State.MergedInto == survivor)
            return;
        _ = Record;
        state.State.MergedInto = survivor;
        // The survivor owns them now, with a newer version: nothing of them is delivered from here.
        state.State.Candidatures.Clear();
        state.State.Outbox.Clear();
        await CommitAsync([]);
    }

    public async Task<ReleasedMerge> ReleaseAsync(string merged, string reason, string by)
    {
        var record = Record;
        var index = state.State.Merges.FindLastIndex(m => m.From == merged && !m.Split);
        if (index < 0)
            throw new DomainException("NOT_MERGED", $"La personne {merged} n'a pas été fusionnée avec {Id}.", "merged");
        var merge = state.State.Merges[index];
        var now = clock.GetUtcNow();
        var returned = merge.Candidatures
            .Select(id => state.State.Candidatures.GetValueOrDefault(id))
            .OfType<Candidature>()
            .Select(c => CandidatureStateMachine.MoveTo(c, PersonId.Parse(merged), split: true, now, by))
            .ToList();
        foreach (var candidature in returned)
        {
            state.State.Candidatures.Remove(candidature.Id.Value);
            state.State.Outbox.Remove(candidature.Id.Value);
        }
        state.State.Record = record with
        {
            Orientations = record.Orientations.RemoveAll(o => merge.Orientations.Contains(o.DecisionReference, StringComparer.Ordinal)),
        };
        var split = merge with { Split = true, SplitAt = now, SplitBy = by, SplitReason = reason, Candidatures = returned.Select(c => c.Id.Value).ToList() };
        state.State.Merges[index] = split;
        await CommitAsync([]);
        return new ReleasedMerge(split, returned);
    }

    public async Task RestoreAsync(IReadOnlyList<Candidature> candidatures)
    {
        if (state.State.Record is null)
            throw new DomainException("UNKNOWN_PERSON", $"Aucune personne n'est enregistrée sous l'identifiant {Id}.", "personId");
        state.State.MergedInto = null;
        await CommitAsync(candidatures);
    }
}
