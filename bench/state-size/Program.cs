// State-size benchmark (writes bench/results/state-size.md and state-size.json):
//   dotnet run -c Release --project bench/state-size
// The largest persisted state of each grain type at Nord scale (520 ESMS, 20,000 persons, 80,000
// candidatures, a year of daily history), built with the same domain rules the grains apply
// (FactsRetention, AdmissionWindow, EsmsViews, the places archive, the shards' sharding) and
// serialized with the storage's own serializer (OrleansGrainStorageSerializer over Orleans' binary
// serializer, as GrainStateStorage registers it), against the target: 512 KiB, half of the 1 MiB
// Azure Table entity (the provider's cap is 15 properties of 64 KiB, 960 KiB).
// No silo: the states are built directly (a year of daily changes through the grains would take
// hours); each figure says how its state was built.
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Listes360.Bench;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using Listes360.Domain.Validation;
using Listes360.Grains.Department;
using Listes360.Grains.Grid;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Sequential;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

const int Esms = 520, Persons = 20_000, CandidaturesCount = 80_000, Days = 365;
const int LargestEsmsCandidatures = 2_000; // the largest ESMS of the ranking benchmark (the Nord's average is about 55 per ranking)
const int WaitingShards = 16;              // DepartmentTopology for a Nord-sized département
const int Target = 512 * 1024;

var services = new ServiceCollection()
    .AddSerializer(b => b.AddAssembly(typeof(RankingState).Assembly).AddAssembly(typeof(CandidateFacts).Assembly))
    .BuildServiceProvider();
var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
int Size<T>(T state) => storage.Serialize(state).ToArray().Length;
// A shard kept as rows (KeyedRowsWriter) writes each row as Orleans serializes it, not through the grain storage's serializer.
var rowSerializer = services.GetRequiredService<Serializer>();
int RowSize<T>(T row) => rowSerializer.SerializeToArray(row).Length;

var today = new DateOnly(2026, 11, 30);
var firstDay = today.AddDays(-Days + 1);
var random = new Random(20261130);
var results = new List<Row>();
var clock = Stopwatch.StartNew();
// The Nord's territories are not shipped (TerritoryDirectory has none for 59): 12 codes, more than its 6 arrondissements or 8 action-sociale territories.
var territories = Enumerable.Range(1, 12).Select(i => $"59T{i:D2}").ToArray();
var kinds = Enum.GetValues<KindOfSupport>().Where(k => k.Info().InWaitingListScope).ToArray();
var communes = new[] { "59350", "59183", "59599", "59009", "59178", "59606", "59512", "59392" };
var bigEsms = new EsmsRegistrationRequest("590999009", "FAM du banc d'essai de taille des états", "448", "59000", "LILLE").ToProfile();

// ---------- Ranking: the largest ranking, a year of daily changes ----------
{
    var state = new RankingState { Registered = true };
    var unbounded = new Dictionary<string, List<TimedFacts>>();
    var pages = new List<int>();
    var maxBytes = 0;
    var maxVersions = 0;
    var changes = 0;
    var ids = Enumerable.Range(0, LargestEsmsCandidatures).Select(i => $"C-S{i:D6}").ToList();
    var next = LargestEsmsCandidatures;
    for (var day = firstDay; day <= today; day = day.AddDays(1))
    {
        // Every day a thirtieth of the candidatures change (situation, carer, status, offer…), a few close and as many new ones come in.
        foreach (var i in Enumerable.Range(0, ids.Count).Where(_ => random.Next(30) == 0 || day == firstDay).ToList())
        {
            var closes = day != firstDay && random.Next(12) == 0;
            var facts = Facts(ids[i], bigEsms, Modality.Residential, closes ? CandidatureStatus.Admitted : CandidatureStatus.Waiting, day);
            Apply(state, facts, day);
            if (!unbounded.TryGetValue(ids[i], out var all)) unbounded[ids[i]] = all = [];
            if (all.Count > 0 && all[^1].RecordedOn == day) all[^1] = new(day, facts); else all.Add(new(day, facts));
            changes++;
            if (closes)
            {
                ids[i] = $"C-S{next++:D6}";
                Apply(state, Facts(ids[i], bigEsms, Modality.Residential, CandidatureStatus.Received, day), day);
                changes++;
            }
            // Measured where the state peaks: with the most superseded versions, before a page moves out.
            if (FactsRetention.SupersededCount(state.Facts, state.Pool) >= FactsRetention.SupersededKept - 1)
                maxBytes = Math.Max(maxBytes, Size(state));
        }
        maxVersions = Math.Max(maxVersions, state.Facts.Values.Sum(v => v.Count) + state.Pool.Count);
    }
    maxBytes = Math.Max(maxBytes, Size(state));
    var before = Size(new RankingState { Facts = unbounded, Registered = true });
    results.Add(new("RankingGrain", "RankingState", maxBytes,
        $"{LargestEsmsCandidatures:N0} open candidatures in one ESMS + modality, {changes:N0} facts changes over {Days} days (a thirtieth of them a day; admissions replaced by new requests); at most {maxVersions:N0} versions kept, {state.Closed.Count:N0} closed markers at the end, {state.PagesWritten} archive pages written",
        $"open candidatures' facts + closed markers + {FactsRetention.SupersededKept} superseded versions; past rankings on {FactsRetention.WindowDays} days",
        before));

    // ---------- Ranking archive page ----------
    var page = Enumerable.Range(0, FactsRetention.SupersededKept)
        .Select(i => new SupersededFacts(firstDay, today, Facts($"C-P{i:D6}", bigEsms, Modality.Residential, CandidatureStatus.Waiting, today))).ToList();
    results.Add(new("RankingArchiveGrain", "RankingArchivePageState", Size(new RankingArchivePageState { Versions = page }),
        $"a full page: {FactsRetention.SupersededKept} superseded versions", $"{FactsRetention.SupersededKept} versions per page (pages older than the window deleted)", null));

    void Apply(RankingState s, CandidateFacts facts, DateOnly day)
    {
        if (!FactsRetention.Record(s.Facts, s.Pool, s.Closed, facts, day).Changed) return;
        // As RankingGrain.CompactAsync: the pages go to archive grains; here they are only counted.
        if (FactsRetention.SupersededCount(s.Facts, s.Pool) >= FactsRetention.SupersededKept)
        {
            foreach (var chunk in FactsRetention.Superseded(s.Facts, s.Pool).Chunk(FactsRetention.SupersededKept))
                s.Pages.Add(FactsRetention.PageOf(++s.PagesWritten, chunk));
            FactsRetention.KeepCurrentOnly(s.Facts, s.Pool);
        }
        FactsRetention.DropClosedBeforeWindow(s.Closed, day);
        s.Pages.RemoveAll(p => FactsRetention.PagesBeforeWindow([p], day).Count > 0);
    }
}

// ---------- Admission statistics: a département's year of admissions ----------
{
    var state = new AdmissionStatsState();
    var before = new Dictionary<string, AdmissionRecord>();
    // Every candidature of the year admitted (far more than a real year): every (kind, territory) sample full.
    for (var i = 0; i < CandidaturesCount; i++)
    {
        var admitted = firstDay.AddDays(random.Next(Days));
        var record = new AdmissionRecord($"C-A{i:D6}", kinds[random.Next(kinds.Length)], territories[random.Next(territories.Length)], admitted.AddDays(-random.Next(30, 2000)), admitted);
        AdmissionWindow.Record(state.Samples, record);
        before[record.CandidatureId] = record;
    }
    results.Add(new("AdmissionStatsGrain", "AdmissionStatsState", Size(state),
        $"{CandidaturesCount:N0} admissions over {Days} days, {kinds.Length} kinds × {territories.Length} territories ({state.Samples.Count} samples, all full)",
        $"{AdmissionWindow.Kept} most recent admissions per (kind, territory)", Size(new AdmissionStatsState { Admissions = before })));
}

// ---------- ESMS: the largest ESMS, a year of place declarations and candidatures ----------
{
    var profile = bigEsms;
    var state = new EsmsState { Profile = profile, Version = 1 };
    var history = new List<PlacesChange>();
    var archivedPages = 0;
    foreach (var modality in profile.Modalities)
        for (var day = firstDay; day <= today; day = day.AddDays(1))
        {
            // Places declared every day of the year, for every modality (the grain moves pages of 50 to the archive).
            state.Places.TryGetValue(modality, out var before);
            var declared = Places.Declare(modality, 60, random.Next(40, 61), day, day);
            if (state.PlacesHistory.Count >= 2 * FieldLimits.PlacesHistoryKept)
            {
                state.PlacesHistory.RemoveRange(0, FieldLimits.PlacesHistoryKept);
                archivedPages++;
            }
            state.Places[modality] = declared;
            var change = new PlacesChange(modality, before, declared, "directeur-" + profile.Finess.Value, new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            state.PlacesHistory.Add(change);
            history.Add(change);
            state.Version++;
        }
    state.ArchivedPlacesPages = archivedPages;
    var closedInYear = 0;
    for (var i = 0; i < LargestEsmsCandidatures * 2; i++)
    {
        // Twice the open candidatures went through the ESMS over two years: half still open, the others closed at some day of the two years.
        var open = i < LargestEsmsCandidatures;
        var updated = open ? today.AddDays(-random.Next(Days)) : today.AddDays(-random.Next(2 * Days));
        var view = new EsmsCandidatureView(CandidatureId.Parse($"C-E{i:D6}"), PersonId.Parse($"59-e{i:D6}"), profile.Finess, Modality.Residential, profile.Kind,
            updated.AddDays(-random.Next(30, 2000)), open ? CandidatureStatus.Waiting : CandidatureStatus.Admitted, open ? null : CandidatureReason.LifeProjectMismatch,
            false, random.Next(1, 12), new DateTimeOffset(updated.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        if (!EsmsViews.Expired(view, today))
        {
            state.Candidatures[view.Id.Value] = view;
            if (!open) closedInYear++;
        }
    }
    EsmsViews.DropExpired(state.Candidatures, today);
    var unboundedViews = state.Candidatures.Count + (LargestEsmsCandidatures - closedInYear);
    results.Add(new("EsmsGrain", "EsmsState", Size(state),
        $"{LargestEsmsCandidatures:N0} open + {closedInYear:N0} closed within the year (of {LargestEsmsCandidatures:N0} closed over two years); {profile.Modalities.Length} modalities × {Days} daily place declarations ({state.PlacesHistory.Count} kept, {archivedPages} pages archived)",
        $"open views + closed ones for {EsmsViews.ClosedKeptDays} days; at most {2 * FieldLimits.PlacesHistoryKept - 1} place changes", null));
    results.Add(new("PlacesHistoryArchiveGrain", "PlacesHistoryPageState", Size(new PlacesHistoryPageState { Changes = history.Take(FieldLimits.PlacesHistoryKept).ToList() }),
        $"a full page: {FieldLimits.PlacesHistoryKept} place changes", $"{FieldLimits.PlacesHistoryKept} changes per page", null));
}

// ---------- Grid: the département's criteria grid versions and its rankings ----------
{
    var grid = GridDocument.Parse(GridDocument.DefaultJson("61").Replace("\"61\"", "\"59\"", StringComparison.Ordinal), 1, new DateOnly(2000, 1, 1));
    var state = new GridState();
    // A publication a week for a year (52), far more than a département publishes.
    for (var v = 1; v <= 52; v++)
        state.Versions.Add(grid with { Version = v, EffectiveFrom = firstDay.AddDays(7 * (v - 1)), PublishedAt = DateTimeOffset.UnixEpoch, PublishedBy = "administrateur du Nord" });
    for (var i = 0; i < Esms; i++)
        foreach (var m in new[] { "RESIDENTIAL", "DAY_CARE", "HOME_BASED" }.Take(1 + i % 3))
            state.Rankings.Add($"59{i:D7}|{m}");
    var one = Size(new GridState { Versions = [grid] });
    results.Add(new("GridGrain", "GridState", Size(state),
        $"52 published versions (one a week for a year; one version {one:N0} bytes) and {state.Rankings.Count:N0} rankings ({Esms} ESMS × their modalities)",
        $"every version kept (a département publishes a few a year): {(Target - Size(new GridState { Rankings = state.Rankings })) / Math.Max(1, one):N0} versions fit the target; rankings: one key per ESMS × modality", null));
}

// ---------- Persons: the largest person ----------
var personRecords = new List<(PersonRecord Record, List<Candidature> Candidatures, string Territory)>(Persons);
for (var i = 0; i < Persons; i++)
{
    var id = PersonId.Parse($"59-s{i:D6}");
    var kind = kinds[random.Next(kinds.Length)];
    var record = new PersonRecord
    {
        Id = id,
        Identity = PersonIdentity.Create(Names[random.Next(Names.Length)], [First[random.Next(First.Length)], First[random.Next(First.Length)]],
            today.AddYears(-random.Next(16, 60)).AddDays(-random.Next(365)), random.Next(2) == 0 ? Sex.Female : Sex.Male, today, residenceCommune: communes[random.Next(communes.Length)]),
        Situation = new Situation { Kind = Enum.GetValues<SituationKind>()[random.Next(4)], Since = today.AddMonths(-random.Next(1, 60)) },
        Carers = [Carer.FromDeclaredAge(CarerRelationship.Parent, random.Next(40, 85), today, (CarerStatus)random.Next(1, 5))],
        Orientations = [Orientation.Create($"CDAPH-{i}", kind, today.AddYears(-2), today.AddYears(3))],
    };
    // 4 candidatures on average (80,000 for 20,000 persons).
    var candidatures = Enumerable.Range(0, 1 + random.Next(7)).Select(c => Candidature.Create(CandidatureId.Parse($"C-{i:D6}-{c}"), id,
        FinessNumber.WithKey($"59{random.Next(100_000, 999_999):D6}"), Modality.Residential, kind, today.AddMonths(-random.Next(1, 60)),
        DateTimeOffset.UnixEpoch, "bench")).ToList();
    personRecords.Add((record, candidatures, territories[random.Next(territories.Length)]));
}
{
    // The largest person: 12 candidatures, each with a status change a month for the year (12 history entries each).
    var (record, _, territory) = personRecords[0];
    var candidatures = Enumerable.Range(0, 12).Select(c =>
    {
        var created = Candidature.Create(CandidatureId.Parse($"C-L{c:D2}"), record.Id, FinessNumber.WithKey($"59{100_000 + c:D6}"), Modality.Residential,
            record.Orientations[0].Kind, firstDay, new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), "référent MDPH");
        var history = created.History.ToBuilder();
        for (var m = 1; m <= 12; m++)
            history.Add(new CandidatureHistoryEntry
            {
                Version = m + 1, Event = CandidatureEvent.StatusChanged, From = m % 2 == 0 ? CandidatureStatus.Waiting : CandidatureStatus.UnderReview,
                To = m % 2 == 0 ? CandidatureStatus.UnderReview : CandidatureStatus.Waiting, Reason = CandidatureReason.LifeProjectMismatch,
                At = new DateTimeOffset(firstDay.AddMonths(m - 1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), By = "directeur de l'ESMS",
            });
        return created with { History = history.ToImmutable(), Version = 13 };
    }).ToDictionary(c => c.Id.Value);
    var state = new PersonState { Record = record, Candidatures = candidatures, Territory = territory, ConsentToShare = true, Version = 150 };
    results.Add(new("PersonGrain", "PersonState", Size(state),
        "12 candidatures with a status change a month for a year (13 history entries each), outboxes empty",
        "the person's own candidatures and their histories (owned by the person rework, issue 14 point 1)", null));
}

// ---------- Département-wide shards and indexes ----------
{
    int ShardOf(PersonId p) => WaitingSharding.ShardOf(p, WaitingShards);
    var waiting = WaitingShard.Create(0, WaitingShards);
    var sequential = new CandidateShardState();
    foreach (var (record, candidatures, territory) in personRecords.Where(p => ShardOf(p.Record.Id) == 0))
    {
        waiting = waiting.Apply(record.Id, 1, WaitingProjection.ContributionOf(record.Id, new PersonContext(territory, record.Situation), candidatures));
        sequential.Candidates[record.Id.Value] = new SequentialCandidate
        {
            Person = record.Id, BirthDate = record.Identity.BirthDate, Orientations = record.Orientations,
            Needs = SequentialNeeds.Create(3, NeedUnit.Days, [Modality.SemiResidential], 25, null, today.AddDays(-30), "bench", DateTimeOffset.UnixEpoch),
            Home = new HomeLocation(record.Identity.ResidenceCommune, territory, 50.6, 3.06), OldestWaitingRequest = today.AddDays(-400), Waiting = true,
            Facts = CandidateFacts.Of(record, territory, candidatures[0], candidatures),
        };
        sequential.Versions[record.Id.Value] = 1;
    }
    var inShard = personRecords.Count(p => ShardOf(p.Record.Id) == 0);
    // These shards are stored one row per person (KeyedRowsWriter, an entity each): the state that matters is the
    // largest row; the whole shard, as it was written before, is given for comparison.
    results.Add(new("WaitingShardGrain", "a person's row (PersonContribution)", waiting.Contributions.Values.Max(c => RowSize(c)),
        $"shard 0 of {WaitingShards}: {inShard:N0} persons' contributions, one row each; the shard written whole would be {Size(new WaitingShardState { Shard = waiting }):N0} bytes",
        "one row per person (a person's counts by kind and territory)", null));
    results.Add(new("CandidateShardGrain", "a person's row (CandidateShardRow)", sequential.Candidates.Values.Max(c => RowSize(new CandidateShardRow(1, c))),
        $"shard 0 of {WaitingShards}: {inShard:N0} persons, every one with sequential needs (the most there can be), one row each; the shard written whole would be {Size(sequential):N0} bytes",
        "one row per person (a person's sequential needs and facts)", null));

    foreach (var identityShards in new[] { 16, 64 })
    {
        var topology = new IdentityTopology { Shards = identityShards };
        var shard = new IdentityShardState();
        foreach (var (record, _, _) in personRecords)
        {
            var match = MatchRecords.Of(record.Id.Value, record.Identity, null, record.Identity.ResidenceCommune);
            var keys = Blocking.Keys(match).Where(k => topology.ShardOf(k) == 0).ToList();
            if (keys.Count == 0) continue;
            shard.Persons[record.Id.Value] = [new IndexedRecord(record.Id.Value, match)];
            foreach (var key in keys)
                (shard.Blocks.TryGetValue(key, out var m) ? m : shard.Blocks[key] = []).Add(record.Id.Value);
        }
        // Stored one row per person (its records); the blocks are rebuilt in memory at activation, not stored.
        results.Add(new("IdentityShardGrain", $"a person's row (IdentityShardRow, {identityShards} shards)", shard.Persons.Values.Max(records => RowSize(new IdentityShardRow { Records = records })),
            $"shard 0 of {identityShards}: {shard.Persons.Count:N0} of {Persons:N0} persons' records, one row each ({shard.Blocks.Count:N0} blocking keys, rebuilt in memory); the shard written whole would be {Size(shard):N0} bytes",
            $"one row per person (their records); persons × ~10 blocking keys / Identity:Shards ({identityShards}{(identityShards == 16 ? ", the default" : ", the setting advised for the Nord")}) per shard", null));
    }

    var registry = new DepartmentRegistryState();
    for (var i = 0; i < Esms; i++)
        registry.Esms[$"59{i:D7}"] = new EsmsSummary($"59{i:D7}", $"Établissement d'accueil médicalisé numéro {i} du Nord", "448", KindOfSupport.Fam, territories[i % territories.Length], "LILLE", 40);
    results.Add(new("DepartmentRegistryGrain", "DepartmentRegistryState", Size(registry), $"{Esms} ESMS summaries", "one summary per ESMS of the département", null));
    var directory = new AvailabilityDirectoryState();
    for (var i = 0; i < Esms; i++) directory.Finess.Add($"59{i:D7}");
    results.Add(new("AvailabilityDirectoryGrain", "AvailabilityDirectoryState", Size(directory), $"{Esms} FINESS", "one FINESS per ESMS", null));

    // Review queue: a year of imports putting 1 person in 20 in the grey zone (1,000 pairs), all kept.
    var queue = new ReviewQueueState();
    for (var i = 0; i + 1 < Persons && queue.Items.Count < Persons / 20; i += 20)
    {
        var (a, _, _) = personRecords[i];
        var (b, _, _) = personRecords[i + 1];
        var item = new ReviewItem(ReviewItem.IdOf(a.Id.Value, b.Id.Value), a.Id.Value, MatchRecords.Of(a.Id.Value, a.Identity), b.Id.Value, MatchRecords.Of(b.Id.Value, b.Identity),
            new MatchResult(0.72, MatchZone.Possible, []), "liste de l'ESMS 590000000 (import du 12/03/2026)", DateTimeOffset.UnixEpoch,
            i % 40 == 0 ? ReviewStatus.Merged : ReviewStatus.Pending, i % 40 == 0 ? "référent MDPH" : null, i % 40 == 0 ? DateTimeOffset.UnixEpoch : null,
            i % 40 == 0 ? "même personne : NIR et date de naissance identiques" : null);
        queue.Items[item.Id] = item;
    }
    results.Add(new("ReviewQueueGrain", "ReviewQueueState", Size(queue), $"{queue.Items.Count:N0} possible duplicates in a year (1 person in 20), half resolved",
        $"pending items + resolved ones for {ReviewRetention.ResolvedKeptDays} days", null));
    var identity = new IdentityState();
    for (var i = 0; i < Persons / 20; i++) identity.MergedInto[$"59-s{i * 20 + 1:D6}"] = $"59-s{i * 20:D6}";
    results.Add(new("IdentityGrain", "IdentityState", Size(identity), $"{identity.MergedInto.Count:N0} merges (every grey-zone pair of the year merged)", "one entry per merge, kept (redirects a merged person's id): about 24 bytes a merge, 20,000 merges to reach the target", null));
}

Write();
foreach (var r in results)
    Console.WriteLine($"{r.Grain,-28} {r.State,-36} {r.Bytes,9:N0} B {(r.Bytes <= Target ? "ok" : "OVER")}  {r.Built}");
return;

CandidateFacts Facts(string id, EsmsProfile esms, Modality modality, CandidatureStatus status, DateOnly day)
{
    var situations = Enum.GetValues<SituationKind>();
    return new CandidateFacts
    {
        CandidatureId = CandidatureId.Parse(id),
        PersonId = PersonId.Parse($"{esms.Finess.Department}-{id.ToLowerInvariant()}"),
        Finess = esms.Finess,
        Modality = modality,
        Kind = esms.Kind,
        RequestDate = day.AddDays(-random.Next(1, 2000)),
        Status = status,
        StatusSince = day,
        BirthDate = day.AddYears(-random.Next(20, 60)).AddDays(-random.Next(0, 365)),
        Orientations = [Orientation.Create("CDAPH-" + id, esms.Kind, day.AddYears(-2), day.AddYears(3))],
        Situation = new Situation { Kind = situations[random.Next(situations.Length)], Since = day.AddDays(-random.Next(0, 1500)) },
        Carers = random.Next(3) == 0 ? [] : [Carer.FromDeclaredAge(CarerRelationship.Parent, random.Next(35, 90), day, (CarerStatus)random.Next(1, 5))],
        ResidenceCommune = communes[random.Next(communes.Length)],
        Territory = territories[random.Next(territories.Length)],
        Urgency = random.Next(30) == 0 ? UrgencyFlag.Create(UrgencySource.TerritorialStaff, day.AddDays(-10), "rupture d'accueil signalée par la famille", "référent") : null,
        DeclinedOffers = random.Next(10) == 0 ? [new DeclinedOffer(CandidatureId.Parse(id + "-X"), esms.Finess, day.AddDays(-40), CandidatureReason.LifeProjectMismatch)] : [],
    };
}

void Write()
{
    var machine = new
    {
        cores = Environment.ProcessorCount,
        memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1),
        os = RuntimeInformation.OSDescription,
        dotnet = RuntimeInformation.FrameworkDescription,
        cpu = BenchMachine.CpuModel(),
        loadAverageAtEnd = BenchMachine.LoadAverage(),
        dateUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        configuration = BenchMachine.IsRelease(typeof(Row).Assembly) ? "Release" : "Debug",
    };
    var root = FindRoot();
    var dir = Path.Combine(root, "bench", "results");
    Directory.CreateDirectory(dir);
    var scale = new { esms = Esms, persons = Persons, candidatures = CandidaturesCount, days = Days, largestEsmsCandidatures = LargestEsmsCandidatures, targetBytes = Target };
    File.WriteAllText(Path.Combine(dir, "state-size.json"), JsonSerializer.Serialize(new { machine, scale, results, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1) }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    var md = new StringBuilder();
    md.AppendLine("# State-size benchmark");
    md.AppendLine();
    md.AppendLine("Command: `dotnet run -c Release --project bench/state-size` (no input file; seeded, deterministic sizes).");
    md.AppendLine();
    md.AppendLine($"Machine: {machine.cores} cores ({machine.cpu}), {machine.memoryGiB} GiB, {machine.os}, {machine.dotnet}, {machine.configuration}, {machine.dateUtc}. Sizes do not depend on the machine; the run took {clock.Elapsed.TotalSeconds:F1} s.");
    md.AppendLine();
    md.AppendLine($"Scale: the Nord — {Esms} ESMS, {Persons:N0} persons, {CandidaturesCount:N0} candidatures, a year ({Days} days) of daily history; the largest ESMS with {LargestEsmsCandidatures:N0} open candidatures (the ranking benchmark's). ");
    md.AppendLine("Each state is built with the rules its grain applies and serialized with the storage's serializer (`OrleansGrainStorageSerializer` over Orleans' binary serializer, as `GrainStateStorage` registers it). ");
    md.AppendLine($"Target: **{Target / 1024} KiB** per state, half of the 1 MiB Azure Table entity (the provider refuses above 960 KiB, 15 properties of 64 KiB). The shards kept as rows (waiting counts, sequential candidates, identity) are measured by their largest row, each an entity of its own.");
    md.AppendLine();
    md.AppendLine("| grain | state | largest state built | bytes | KiB | target | bound | before the bounds |");
    md.AppendLine("|---|---|---|---:|---:|---|---|---:|");
    foreach (var r in results)
        md.AppendLine($"| {r.Grain} | {r.State} | {r.Built} | {r.Bytes:N0} | {r.Bytes / 1024.0:F1} | {(r.Bytes <= Target ? "met" : "**over**")} | {r.Bound} | {(r.Before is { } b ? $"{b:N0} ({b / 1024.0:F0} KiB)" : "—")} |");
    md.AppendLine();
    md.AppendLine("Not built here (bounded by construction): `IdempotencyState` (one record per grain, the stored answer capped at 256 KiB by `IdempotencyKeys.MaxStoredResponseBytes`), `EsmsAvailabilityState` (one ESMS's availability), `DepartmentMaintenanceState` (one pass), the risk and list shards (kept one row per person, like the shards above; written whole, bench/risk measured 190 KiB for risk shard 0 of 16 and bench/waiting-list 92 KiB for the largest list shard at 20,000 persons). `ListImportGrain` keeps no state.");
    File.WriteAllText(Path.Combine(dir, "state-size.md"), md.ToString().Replace("\r", "", StringComparison.Ordinal));
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Listes360.sln"))) dir = dir.Parent;
    return dir?.FullName ?? Directory.GetCurrentDirectory();
}

internal sealed record Row(string Grain, string State, int Bytes, string Built, string Bound, int? Before);

internal static partial class Program
{
    private static readonly string[] Names = ["Lefebvre", "Dubois-Martin", "Vandenbussche", "Delattre", "Deschamps", "Boulanger", "Vanhoutte", "Lemaire", "Dupont", "Carpentier"];
    private static readonly string[] First = ["Camille", "Lucas", "Léa", "Hugo", "Chloé", "Louis", "Manon", "Jules", "Inès", "Théo"];
}
