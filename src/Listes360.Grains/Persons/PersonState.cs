using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Sequential;
using Listes360.Grains.Common;
using Listes360.Grains.Registry;

namespace Listes360.Grains.Persons;

/// <summary>
/// A person's stored file (<see cref="PersonFile"/>) and its outbox. The field ids of the first shape are
/// kept: rows written before the aggregate load as they are; the four outboxes of that shape (ids 5, 6,
/// 11, 14) are read once and migrated on activation (the file is sent again whole, into <see cref="Pending"/>).
/// </summary>
[GenerateSerializer, Alias("Listes360.Persons.PersonState")]
public sealed class PersonState
{
    [Id(0)] public PersonRecord? Record { get; set; }
    [Id(1)] public Dictionary<string, Candidature> Candidatures { get; set; } = [];
    [Id(2)] public string? Territory { get; set; }
    [Id(3)] public bool ConsentToShare { get; set; }
    [Id(4)] public int Version { get; set; }
    [Id(7)] public string? MergedInto { get; set; }
    [Id(8)] public List<MergeRecord> Merges { get; set; } = [];
    [Id(9)] public bool Simulated { get; set; }
    [Id(10)] public SequentialNeeds? SequentialNeeds { get; set; }
    [Id(12)] public bool SequentialListed { get; set; }
    [Id(13)] public Dictionary<string, SequentialProposal> SequentialProposals { get; set; } = [];
    [Id(15)] public ImmutableList<Domain.Idempotency.AppliedOperation> AppliedOperations { get; set; } = [];

    /// <summary>What the ESMS, rankings and département projections have not acknowledged yet (the one outbox).</summary>
    [Id(16)] public Outbox<PersonFileEffect> Pending { get; set; } = new();

    // The first shape's outboxes: read from old rows, emptied by the migration, never written again.
    [Id(5)] public Dictionary<string, EsmsCandidatureView> LegacyOutbox { get; set; } = [];
    [Id(6)] public bool LegacyCountsPending { get; set; }
    [Id(11)] public bool LegacySequentialPending { get; set; }
    [Id(14)] public Dictionary<string, CandidateFacts> LegacyRankingOutbox { get; set; } = [];

    public bool HasLegacyOutbox =>
        LegacyOutbox.Count > 0 || LegacyCountsPending || LegacySequentialPending || LegacyRankingOutbox.Count > 0;

    public void ClearLegacyOutbox()
    {
        LegacyOutbox.Clear();
        LegacyRankingOutbox.Clear();
        LegacyCountsPending = false;
        LegacySequentialPending = false;
    }

    public PersonFile ToFile(PersonId id) => new()
    {
        Id = id,
        Record = Record,
        Candidatures = Candidatures.ToImmutableDictionary(StringComparer.Ordinal),
        Territory = Territory,
        ConsentToShare = ConsentToShare,
        Version = Version,
        MergedInto = MergedInto,
        Merges = [.. Merges],
        Simulated = Simulated,
        SequentialNeeds = SequentialNeeds,
        SequentialListed = SequentialListed,
        SequentialProposals = SequentialProposals.ToImmutableDictionary(StringComparer.Ordinal),
        AppliedOperations = AppliedOperations,
    };

    /// <summary>Takes the file and queues its change's effects (a newer effect replaces a pending one of the same key).</summary>
    public void Take(PersonFileChange change)
    {
        var file = change.File;
        Record = file.Record;
        Candidatures = new Dictionary<string, Candidature>(file.Candidatures, StringComparer.Ordinal);
        Territory = file.Territory;
        ConsentToShare = file.ConsentToShare;
        Version = file.Version;
        MergedInto = file.MergedInto;
        Merges = [.. file.Merges];
        Simulated = file.Simulated;
        SequentialNeeds = file.SequentialNeeds;
        SequentialListed = file.SequentialListed;
        SequentialProposals = new Dictionary<string, SequentialProposal>(file.SequentialProposals, StringComparer.Ordinal);
        AppliedOperations = file.AppliedOperations;
        foreach (var key in change.Withdrawn)
            Pending.Remove(key);
        foreach (var effect in change.Effects)
            Pending.Put(effect.Key, effect);
    }
}
