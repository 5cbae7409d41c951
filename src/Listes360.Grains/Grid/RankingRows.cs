using System.Globalization;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Grains.Common;
using Orleans.Serialization;

namespace Listes360.Grains.Grid;

/// <summary>
/// One stored row of a ranking (<see cref="RankingRows"/>), of one of four kinds by its key: an open candidature's
/// versions (<c>f:</c>), a closed candidature's marker (<c>c:</c>), a superseded version waiting for an archive page
/// (<c>s:</c>), or the archive pages' index (<c>h</c>).
/// </summary>
[GenerateSerializer, Alias("Listes360.Grid.RankingRow")]
public sealed class RankingRow
{
    [Id(0)] public List<TimedFacts>? Versions { get; init; }
    [Id(1)] public ClosedCandidature? Closed { get; init; }
    [Id(2)] public SupersededFacts? Superseded { get; init; }
    [Id(3)] public RankingPages? Pages { get; init; }
}

/// <summary>The index of a ranking's archive pages, and the number of the next superseded version's row.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.RankingPages")]
public sealed record RankingPages(
    [property: Id(0)] IReadOnlyList<FactsPage> Pages,
    [property: Id(1)] int PagesWritten,
    [property: Id(2)] long NextSuperseded);

/// <summary>
/// A ranking's facts history (the rules: <see cref="FactsRetention"/>) held in memory and stored as rows
/// (<see cref="KeyedRowsWriter{T}"/>): a change writes the rows of the candidatures it touched, not the ranking. Written
/// whole, each admission rewrote the whole list of its ESMS and modality (tens of kilobytes), on every ranking the
/// person had a candidature in.
/// </summary>
public sealed class RankingRows
{
    private const string PagesKey = "h";
    private const string FactsPrefix = "f:";
    private const string ClosedPrefix = "c:";
    private const string SupersededPrefix = "s:";

    private readonly KeyedRowsWriter<RankingRow> writer;
    private long nextSuperseded;

    public RankingRows(IKeyedRowStorage storage, Serializer serializer, GrainId grain, string stateName) =>
        writer = new KeyedRowsWriter<RankingRow>(storage, serializer, grain, stateName, RowOf);

    /// <summary>Each open candidature's versions, by candidature id (see <see cref="RankingState.Facts"/>).</summary>
    public Dictionary<string, List<TimedFacts>> Facts { get; } = new(StringComparer.Ordinal);

    /// <summary>The closed candidatures (closed within the window), by id.</summary>
    public Dictionary<string, ClosedCandidature> Closed { get; } = new(StringComparer.Ordinal);

    /// <summary>Superseded versions of closed candidatures waiting for the next archive page, by row key.</summary>
    public Dictionary<string, SupersededFacts> Pool { get; } = new(StringComparer.Ordinal);

    /// <summary>The archive pages that past rankings of the window may need.</summary>
    public List<FactsPage> Pages { get; } = [];

    /// <summary>The number of pages ever written (the next page is this plus one).</summary>
    public int PagesWritten { get; private set; }

    /// <summary>Whether storage holds rows of this ranking (written once).</summary>
    public bool Exists => writer.Exists;

    /// <summary>Loads every row; what was changed in memory and not written is forgotten.</summary>
    public async Task ReadAsync()
    {
        var rows = await writer.ReadAsync();
        Facts.Clear();
        Closed.Clear();
        Pool.Clear();
        Pages.Clear();
        PagesWritten = 0;
        nextSuperseded = 0;
        foreach (var (key, row) in rows)
        {
            if (key == PagesKey && row.Pages is { } pages)
            {
                Pages.AddRange(pages.Pages);
                PagesWritten = pages.PagesWritten;
                nextSuperseded = Math.Max(nextSuperseded, pages.NextSuperseded);
            }
            else if (key.StartsWith(FactsPrefix, StringComparison.Ordinal) && row.Versions is { } versions)
                Facts[key[FactsPrefix.Length..]] = versions;
            else if (key.StartsWith(ClosedPrefix, StringComparison.Ordinal) && row.Closed is { } closed)
                Closed[key[ClosedPrefix.Length..]] = closed;
            else if (key.StartsWith(SupersededPrefix, StringComparison.Ordinal) && row.Superseded is { } superseded)
                Pool[key] = superseded;
        }
    }

    /// <summary>Takes the state the earlier code stored whole, and writes it as rows (then clears it).</summary>
    public Task MoveFromWholeStateAsync(IPersistentState<RankingState> whole)
    {
        var s = whole.State;
        FactsRetention.MarkClosed(s.Facts, s.Pool, s.Closed);
        foreach (var (id, versions) in s.Facts)
            Facts[id] = versions;
        foreach (var (id, closed) in s.Closed)
            Closed[id] = closed;
        Pages.AddRange(s.Pages);
        PagesWritten = s.PagesWritten;
        AddToPool(s.Pool);
        return writer.MoveFromWholeStateAsync(whole,
            [PagesKey, .. Facts.Keys.Select(id => FactsPrefix + id), .. Closed.Keys.Select(id => ClosedPrefix + id), .. Pool.Keys]);
    }

    /// <summary><see cref="FactsRetention.Record"/> on these rows: marks the candidature's rows (and the pool's new ones) to write.</summary>
    public (bool Changed, CandidatureStatus? Before) Record(CandidateFacts facts, DateOnly today)
    {
        var superseded = new List<SupersededFacts>();
        var result = FactsRetention.Record(Facts, superseded, Closed, facts, today);
        if (result.Changed)
            ChangedCandidature(facts.CandidatureId.Value);
        AddToPool(superseded);
        return result;
    }

    /// <summary>Whether the superseded versions reached <see cref="FactsRetention.SupersededKept"/>: time to archive them.</summary>
    public bool ArchiveDue => FactsRetention.SupersededCount(Facts, Pool.Values) >= FactsRetention.SupersededKept;

    /// <summary>The superseded versions, in supersession order (<see cref="FactsRetention.Superseded"/>).</summary>
    public IReadOnlyList<SupersededFacts> Superseded() => FactsRetention.Superseded(Facts, Pool.Values);

    /// <summary>The superseded versions are stored on these pages: only each open candidature's current version stays.</summary>
    public void Archived(IReadOnlyList<FactsPage> pages)
    {
        foreach (var (id, versions) in Facts)
            if (versions.Count > 1)
                writer.Changed(FactsPrefix + id);
        foreach (var key in Pool.Keys)
            writer.Changed(key);
        Pool.Clear();
        FactsRetention.KeepCurrentOnly(Facts, []);
        Pages.AddRange(pages);
        PagesWritten += pages.Count;
        writer.Changed(PagesKey);
    }

    /// <summary>Drops the markers of candidatures closed before the window (<see cref="FactsRetention.DropClosedBeforeWindow"/>).</summary>
    public void DropClosedBeforeWindow(DateOnly today)
    {
        foreach (var id in FactsRetention.DropClosedBeforeWindow(Closed, today))
            writer.Changed(ClosedPrefix + id);
    }

    public void RemovePage(FactsPage page)
    {
        if (Pages.Remove(page))
            writer.Changed(PagesKey);
    }

    /// <summary>
    /// Writes the rows changed since the last write. On any failure the rows go back to what storage holds (the
    /// activation is never ahead of it) and the error is thrown; a row too large becomes <c>STATE_LIMIT_REACHED</c>.
    /// </summary>
    public async Task WriteAsync(string what)
    {
        try
        {
            await writer.WriteAsync();
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

    private void ChangedCandidature(string id)
    {
        writer.Changed(FactsPrefix + id);
        writer.Changed(ClosedPrefix + id);
    }

    private void AddToPool(IEnumerable<SupersededFacts> superseded)
    {
        foreach (var version in superseded)
        {
            var key = SupersededPrefix + (nextSuperseded++).ToString(CultureInfo.InvariantCulture);
            Pool[key] = version;
            writer.Changed(key);
            writer.Changed(PagesKey);
        }
    }

    private RankingRow? RowOf(string key)
    {
        if (key == PagesKey)
            return new RankingRow { Pages = new RankingPages([.. Pages], PagesWritten, nextSuperseded) };
        if (key.StartsWith(FactsPrefix, StringComparison.Ordinal))
            return Facts.TryGetValue(key[FactsPrefix.Length..], out var versions) ? new RankingRow { Versions = versions } : null;
        if (key.StartsWith(ClosedPrefix, StringComparison.Ordinal))
            return Closed.TryGetValue(key[ClosedPrefix.Length..], out var closed) ? new RankingRow { Closed = closed } : null;
        return Pool.TryGetValue(key, out var superseded) ? new RankingRow { Superseded = superseded } : null;
    }
}
