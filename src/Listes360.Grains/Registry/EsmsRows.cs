using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Orleans.Serialization;

namespace Listes360.Grains.Registry;

/// <summary>
/// One stored row of an ESMS (<see cref="EsmsRows"/>), of one of three kinds by its key: the ESMS's record (<c>e</c>:
/// profile, places and their history), its outbox (<c>o</c>), or the view of one of its candidatures (<c>v:</c>).
/// </summary>
[GenerateSerializer, Alias("Listes360.Registry.EsmsRow")]
public sealed class EsmsRow
{
    [Id(0)] public EsmsRecordRow? Record { get; init; }
    [Id(1)] public Outbox<EsmsEffect>? Pending { get; init; }
    [Id(2)] public EsmsCandidatureView? Candidature { get; init; }
}

/// <summary>The ESMS's record: everything but its candidatures and its outbox.</summary>
[GenerateSerializer, Alias("Listes360.Registry.EsmsRecordRow")]
public sealed class EsmsRecordRow
{
    [Id(0)] public EsmsProfile? Profile { get; init; }
    [Id(1)] public Dictionary<Modality, Places> Places { get; init; } = [];
    [Id(2)] public List<PlacesChange> PlacesHistory { get; init; } = [];
    [Id(3)] public int Version { get; init; }
    [Id(4)] public int ArchivedPlacesPages { get; init; }
}

/// <summary>
/// An ESMS's state held in memory in its own shape (<see cref="EsmsState"/>, also the shape the earlier code stored
/// whole) and stored as rows (<see cref="KeyedRowsWriter{T}"/>): a candidature's change writes its view's row (and the
/// outbox's, when it has something for the vacancies), not the ESMS with all its candidatures (tens of kilobytes,
/// written at each status change of each of them).
/// </summary>
public sealed class EsmsRows
{
    private const string RecordKey = "e";
    private const string PendingKey = "o";
    private const string CandidaturePrefix = "v:";

    private readonly KeyedRowsWriter<EsmsRow> writer;
    private bool pendingStoredEmpty = true;

    public EsmsRows(IKeyedRowStorage storage, Serializer serializer, GrainId grain, string stateName) =>
        writer = new KeyedRowsWriter<EsmsRow>(storage, serializer, grain, stateName, RowOf);

    /// <summary>The state in memory: change it, then say what changed (<see cref="RecordChanged"/>, <see cref="CandidatureChanged"/>).</summary>
    public EsmsState State { get; private set; } = new();

    /// <summary>Whether storage holds rows of this ESMS (written once).</summary>
    public bool Exists => writer.Exists;

    /// <summary>Loads every row; what was changed in memory and not written is forgotten.</summary>
    public async Task ReadAsync()
    {
        var rows = await writer.ReadAsync();
        var state = new EsmsState();
        foreach (var (key, row) in rows)
        {
            if (key == RecordKey && row.Record is { } record)
            {
                state.Profile = record.Profile;
                state.Places = record.Places;
                state.PlacesHistory = record.PlacesHistory;
                state.Version = record.Version;
                state.ArchivedPlacesPages = record.ArchivedPlacesPages;
            }
            else if (key == PendingKey && row.Pending is { } pending)
                state.Pending = pending;
            else if (key.StartsWith(CandidaturePrefix, StringComparison.Ordinal) && row.Candidature is { } view)
                state.Candidatures[key[CandidaturePrefix.Length..]] = view;
        }
        State = state;
        pendingStoredEmpty = state.Pending.IsEmpty;
    }

    /// <summary>Takes the state the earlier code stored whole, and writes it as rows (then clears it).</summary>
    public Task MoveFromWholeStateAsync(IPersistentState<EsmsState> whole)
    {
        State = whole.State;
        pendingStoredEmpty = false;
        return writer.MoveFromWholeStateAsync(whole, [RecordKey, PendingKey, .. State.Candidatures.Keys.Select(id => CandidaturePrefix + id)]);
    }

    /// <summary>The profile, places or their history changed.</summary>
    public void RecordChanged() => writer.Changed(RecordKey);

    /// <summary>A candidature's view changed, or was dropped.</summary>
    public void CandidatureChanged(string id) => writer.Changed(CandidaturePrefix + id);

    /// <summary>
    /// Writes the rows changed since the last write, and the outbox when it holds something or held something when last
    /// written (its deliveries are written with the next change). On any failure the rows go back to what storage holds
    /// (the activation is never ahead of it) and the error is thrown; a row too large becomes <c>STATE_LIMIT_REACHED</c>.
    /// </summary>
    public async Task WriteAsync(string what)
    {
        var pendingEmpty = State.Pending.IsEmpty;
        if (!pendingEmpty || !pendingStoredEmpty)
            writer.Changed(PendingKey);
        try
        {
            await writer.WriteAsync();
            pendingStoredEmpty = pendingEmpty;
        }
        catch (Exception e)
        {
            await ReadAsync();
            if (e is IStateTooLargeException tooLarge)
                throw new DomainException(StateWrites.LimitReachedCode,
                    $"Modification refusée : {what} dépasserait la taille qu'un enregistrement peut stocker ({tooLarge.Size:N0} octets pour {tooLarge.Limit:N0} au plus). Rien n'a été modifié ; signalez-le à l'administrateur.");
            throw;
        }
    }

    private EsmsRow? RowOf(string key)
    {
        var s = State;
        if (key == RecordKey)
            return new EsmsRow { Record = new EsmsRecordRow { Profile = s.Profile, Places = s.Places, PlacesHistory = s.PlacesHistory, Version = s.Version, ArchivedPlacesPages = s.ArchivedPlacesPages } };
        if (key == PendingKey)
            return s.Pending.IsEmpty ? null : new EsmsRow { Pending = s.Pending };
        return s.Candidatures.TryGetValue(key[CandidaturePrefix.Length..], out var view) ? new EsmsRow { Candidature = view } : null;
    }
}
