using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Listes360.Api.Security;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Testing.Cluster;
using Xunit.Abstractions;

namespace Listes360.Cluster.Tests;

/// <summary>
/// Issue 13's acceptance: 3 silo processes on one Azurite, production wiring, writers through every
/// silo's API, one silo killed without warning (SIGKILL) mid-load. Every acknowledged write is read
/// back through a survivor, the admission rule holds, the ESMS' views and the département's counts
/// agree with the persons, every error seen on the way was retryable, and a mutation retried with
/// its <c>Idempotency-Key</c> was applied once.
/// </summary>
public sealed class SiloKilledUnderLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SiloCount = 3;
    private const int WritersPerSilo = 2;
    private static readonly TimeSpan LoadDuration = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(9);
    private static readonly TimeSpan GiveUpOneMutation = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(60);

    private const string Department = "61";
    private const string Mas = "MAS";
    private const string Fam = "FAM";
    private const string Esat = "ESAT";

    private ProcessCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await ProcessCluster.StartAsync(SiloCount, log: new OutputWriter(output));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_silo_killed_under_load_loses_no_acknowledged_write_and_answers_only_retryable_errors()
    {
        var token = DevTokens.Mint(new AuthSettings { SigningKey = _cluster.SigningKey }, "cluster-writer", Role.Admin, [], Department, null, TimeSpan.FromMinutes(30));
        using var client = new RetryingGraphQLClient([.. _cluster.Silos.Select(s => s.Url)], token);
        var esms = await RegisterEsmsAsync(client);

        // Writers on every silo, for a bounded time; the third silo is killed in the middle.
        var persons = new ConcurrentBag<ExpectedPerson>();
        var refusals = new ConcurrentQueue<string>();
        var replays = new ConcurrentQueue<(string First, string Replayed, string? Status)>();
        var acknowledgedAfterKill = 0;
        var retriedAcknowledged = 0;
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var killed = _cluster.Silos[SiloCount - 1];
        var writers = Enumerable.Range(0, SiloCount * WritersPerSilo).Select(w => Task.Run(async () =>
        {
            var writer = new Writer(client, w, w % SiloCount, esms, persons, refusals, replays);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await writer.OnePersonAsync(ack =>
                    {
                        if (killed.KilledAt is { } at && ack.At > at) Interlocked.Increment(ref acknowledgedAfterKill);
                        if (ack.Attempts > 1) Interlocked.Increment(ref retriedAcknowledged);
                    }, stop.Token);
                }
                catch (GraphQLRefusedException refused)
                {
                    refusals.Enqueue($"écrivain {w} : {refused.Message}");
                }
            }
        })).ToList();
        await Task.Delay(KillAfter);
        _cluster.Kill(killed);
        output.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s : silo {killed.Index + 1} tué (SIGKILL), {persons.Count} personnes créées jusque-là");
        await Task.Delay(LoadDuration - KillAfter);
        stop.Cancel();
        var unfinished = await Task.WhenAll(writers.Select(async w => { try { await w; return null; } catch (Exception e) when (e is TimeoutException or OperationCanceledException) { return e.Message; } }));
        output.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s : charge arrêtée ; {persons.Count} personnes, {persons.Sum(p => p.Acknowledged)} écritures acquittées " +
                         $"({retriedAcknowledged} après au moins un nouvel essai, {acknowledgedAfterKill} après le kill)");
        var failures = client.Failures.ToList();
        foreach (var group in failures.GroupBy(f => (f.Kind, f.Silo, f.HttpStatus)).OrderBy(g => g.Key.Silo))
            output.WriteLine($"  essais échoués : {group.Count(),5} × {group.Key.Kind} (HTTP {group.Key.HttpStatus?.ToString() ?? "-"}) sur le silo {group.Key.Silo + 1}, " +
                             $"de {(group.Min(f => f.At) - killed.KilledAt!.Value).TotalSeconds:F1} à {(group.Max(f => f.At) - killed.KilledAt!.Value).TotalSeconds:F1} s après le kill ; " +
                             $"par exemple : {group.First().Detail[..Math.Min(300, group.First().Detail.Length)]}");

        // The load happened, across the kill.
        Assert.All(unfinished, u => Assert.True(u is null, "une écriture n'a jamais été acquittée : " + u));
        Assert.Empty(refusals);
        Assert.True(persons.Count >= SiloCount * WritersPerSilo, $"trop peu de personnes écrites ({persons.Count})");
        Assert.Contains(persons, p => p.Admitted);
        Assert.True(acknowledgedAfterKill > 0, "aucune écriture acquittée après le kill");
        Assert.Contains(failures, f => f.Silo == killed.Index && f.Kind == FailureKinds.Connection);

        // Every error seen during the failover was one a client may retry: no INTERNAL_ERROR, no bare
        // 500 and no hang from a live silo; connections refused only by the killed one.
        var live = failures.Where(f => !(f.Silo == killed.Index && f.At >= killed.KilledAt)).ToList();
        Assert.All(live, f => Assert.True(f.Retryable && f.Kind is not (FailureKinds.Connection or FailureKinds.Timeout) && !f.Kind.StartsWith("HTTP_5", StringComparison.Ordinal),
            $"erreur non conforme d'un silo vivant ({f.Silo + 1}) à {f.At:HH:mm:ss.fff} : {f.Kind} (HTTP {f.HttpStatus}) {f.Detail}"));
        Assert.DoesNotContain(failures, f => f.Kind == "INTERNAL_ERROR");

        // A mutation sent again with its key (to another silo) got the first answer, applied once.
        Assert.NotEmpty(replays);
        Assert.All(replays, r =>
        {
            Assert.Equal(r.First, r.Replayed);
            Assert.Equal("replayed", r.Status);
        });

        // The survivors evict the killed silo.
        var survivors = _cluster.Silos.Where(s => s != killed).ToList();
        await _cluster.WaitUntilActiveAsync(SiloCount - 1, survivors, TimeSpan.FromSeconds(60));
        output.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s : les survivants voient {SiloCount - 1} silos actifs ; table des membres : silo tué {await _cluster.MembershipStatusAsync(killed)}");

        // Every acknowledged write is there, read through a survivor; the admission rule holds.
        var read = new Dictionary<string, IReadOnlyList<ReadCandidature>>();
        var oriented = new Dictionary<string, IReadOnlyList<string>>();
        var i = 0;
        foreach (var person in persons)
        {
            var data = await client.QueryAsync(survivors[i++ % survivors.Count].Index,
                "query($p: ID!) { person(id: $p) { id orientations { kind } candidatures { id personId finess kind status } } }", new { p = person.Id });
            var candidatures = data.GetProperty("person").GetProperty("candidatures").EnumerateArray()
                .Select(c => new ReadCandidature(c.GetProperty("id").GetString()!, c.GetProperty("personId").GetString()!, c.GetProperty("finess").GetString()!,
                    c.GetProperty("kind").GetString()!, c.GetProperty("status").GetString()!)).ToList();
            read[person.Id] = candidatures;
            oriented[person.Id] = [.. data.GetProperty("person").GetProperty("orientations").EnumerateArray().Select(o => o.GetProperty("kind").GetString()!).Distinct()];
            Assert.Equal(person.Candidatures.Select(c => (c.Id, c.Finess, c.Status)).Order(),
                candidatures.Select(c => (c.Id, c.Finess, c.Status)).Order());
            if (candidatures.FirstOrDefault(c => c.Status == "ADMITTED") is { } admitted)
            {
                Assert.All(candidatures.Where(c => SameKind(c.Kind, admitted.Kind) && c.Id != admitted.Id),
                    c => Assert.Equal("SOLUTION_FOUND_ELSEWHERE", c.Status));
                Assert.All(candidatures.Where(c => !SameKind(c.Kind, admitted.Kind)), c => Assert.Equal("RECEIVED", c.Status));
            }
        }

        // Each ESMS' view equals the persons' candidatures to it (views follow through outboxes: wait for them).
        var everyCandidature = read.Values.SelectMany(c => c).ToList();
        foreach (var finess in esms.All)
        {
            var expected = everyCandidature.Where(c => c.Finess == finess).Select(c => (c.Id, c.PersonId, c.Status)).Order().ToList();
            var seen = await EventuallyAsync(() => EsmsViewAsync(client, survivors[0].Index, finess), v => v.SequenceEqual(expected));
            Assert.Equal(expected, seen);
        }

        // The département's counts equal the persons: those with open candidatures, and those the load stopped
        // between their orientations and their first candidature (at home without solution, oriented, nothing
        // asked yet: the list's rule counts them as waiting for each kind they are oriented to, with no entry).
        var open = everyCandidature.Where(c => IsOpen(c.Status)).ToList();
        var orientedOnly = read.Where(p => p.Value.Count == 0 && oriented[p.Key].Count > 0).Select(p => p.Key).ToList();
        var expectedCounts = new Counts(
            open.Select(c => c.PersonId).Distinct().Count() + orientedOnly.Count, open.Count,
            [.. open.Select(c => (c.Kind, c.PersonId, Entry: 1))
                .Concat(orientedOnly.SelectMany(p => oriented[p].Select(kind => (Kind: kind, PersonId: p, Entry: 0))))
                .GroupBy(c => c.Kind).Select(g => (g.Key, g.Select(c => c.PersonId).Distinct().Count(), g.Sum(c => c.Entry))).Order()]);
        var counts = await EventuallyAsync(() => CountsAsync(client, survivors[1].Index), c => c == expectedCounts);
        Assert.Equal(expectedCounts, counts);
        output.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s : {read.Count} personnes relues, {everyCandidature.Count} candidatures, vues de {esms.All.Count} ESMS et décomptes ({counts}) conformes");
    }

    /// <summary>The domain's « same kind of support » (one family: MAS and FAM are one, ESAT another).</summary>
    private static bool SameKind(string a, string b) => Kind(a).IsSameKindAs(Kind(b));

    private static KindOfSupport Kind(string graphQLName) => Enum.Parse<KindOfSupport>(graphQLName.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    private static bool IsOpen(string status) => status is "RECEIVED" or "INCOMPLETE" or "UNDER_REVIEW" or "WAITING" or "OFFERED";

    private async Task<EsmsSet> RegisterEsmsAsync(RetryingGraphQLClient client)
    {
        var registered = new Dictionary<string, List<string>> { [Mas] = [], [Fam] = [], [Esat] = [] };
        var suffix = Random.Shared.Next(100, 900);
        var n = 0;
        foreach (var (kind, category, count) in new[] { (Mas, "255", 3), (Fam, "437", 2), (Esat, "246", 2) })
        {
            for (var i = 0; i < count; i++, n++)
            {
                var finess = FinessNumber.WithKey($"61{suffix}{n:D3}").Value;
                await client.MutateAsync(n % SiloCount, "mutation($f: String!, $n: String!, $c: String!) { registerEsms(input: {finess: $f, name: $n, category: $c}) { esms { finess } } }",
                    new { f = finess, n = $"{kind} de la grappe {n}", c = category }, Guid.NewGuid().ToString(), GiveUpOneMutation);
                await client.MutateAsync(n % SiloCount, "mutation($f: String!, $m: Modality!) { setEsmsPlaces(input: {finess: $f, modality: $m, capacity: 500, occupied: 0}) { esms { finess } } }",
                    new { f = finess, m = ModalityOf(kind) }, Guid.NewGuid().ToString(), GiveUpOneMutation);
                registered[kind].Add(finess);
            }
        }
        return new EsmsSet(registered[Mas], registered[Fam], registered[Esat]);
    }

    private static async Task<List<(string Id, string PersonId, string Status)>> EsmsViewAsync(RetryingGraphQLClient client, int silo, string finess)
    {
        var items = new List<(string, string, string)>();
        string? after = null;
        do
        {
            var page = (await client.QueryAsync(silo,
                "query($f: String!, $a: String) { esms(finess: $f) { candidatures(openOnly: false, first: 200, after: $a) { edges { node { id personId status } } pageInfo { endCursor hasNextPage } } } }",
                new { f = finess, a = after })).GetProperty("esms").GetProperty("candidatures");
            items.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("personId").GetString()!, c.GetProperty("status").GetString()!)));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        } while (after is not null);
        return [.. items.Order()];
    }

    private static async Task<Counts> CountsAsync(RetryingGraphQLClient client, int silo)
    {
        var counts = (await client.QueryAsync(silo,
            "query($d: String!) { departmentCounts(department: $d) { total { distinctPersonsWaiting listEntries } byKind { kind counts { distinctPersonsWaiting listEntries } } } }",
            new { d = Department })).GetProperty("departmentCounts");
        var total = counts.GetProperty("total");
        return new Counts(total.GetProperty("distinctPersonsWaiting").GetInt32(), total.GetProperty("listEntries").GetInt32(),
            [.. counts.GetProperty("byKind").EnumerateArray()
                .Select(k => (k.GetProperty("kind").GetString()!, k.GetProperty("counts").GetProperty("distinctPersonsWaiting").GetInt32(), k.GetProperty("counts").GetProperty("listEntries").GetInt32()))
                .Where(k => k.Item2 > 0 || k.Item3 > 0).Order()]);
    }

    /// <summary>The last value read, as soon as it satisfies <paramref name="done"/> or when <see cref="Convergence"/> has passed.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value) || deadline.Elapsed > Convergence)
                return value;
            await Task.Delay(500);
        }
    }

    private static string ModalityOf(string kind) => kind == Esat ? "SEMI_RESIDENTIAL" : "RESIDENTIAL";

    private sealed record EsmsSet(IReadOnlyList<string> Mas, IReadOnlyList<string> Fam, IReadOnlyList<string> Esat)
    {
        public IReadOnlyList<string> All => [.. Mas, .. Fam, .. Esat];
    }

    private sealed record ReadCandidature(string Id, string PersonId, string Finess, string Kind, string Status);

    private sealed record Counts(int Persons, int Entries, IReadOnlyList<(string Kind, int Persons, int Entries)> ByKind)
    {
        public bool Equals(Counts? other) => other is not null && Persons == other.Persons && Entries == other.Entries && ByKind.SequenceEqual(other.ByKind);
        public override int GetHashCode() => HashCode.Combine(Persons, Entries);
        public override string ToString() => $"{Persons} personnes en attente, {Entries} inscriptions ; " + string.Join(", ", ByKind.Select(k => $"{k.Kind} {k.Persons}/{k.Entries}"));
    }

    /// <summary>What the writers were told was done: the expected state of one person.</summary>
    private sealed class ExpectedPerson(string id)
    {
        public string Id { get; } = id;
        public List<ExpectedCandidature> Candidatures { get; } = [];
        public bool Admitted { get; set; }
        public int Acknowledged { get; set; } = 1;
    }

    private sealed class ExpectedCandidature(string id, string finess, string kind)
    {
        public string Id { get; } = id;
        public string Finess { get; } = finess;
        public string Kind { get; } = kind;
        public string Status { get; set; } = "RECEIVED";
    }

    /// <summary>
    /// One writer: persons one after the other, each created, given MAS, FAM and ESAT orientations,
    /// candidatures to 2 MAS, 1 FAM and 1 ESAT; every other person is then admitted in one MAS (the
    /// other MAS and the FAM, one family, close as SOLUTION_FOUND_ELSEWHERE; the ESAT stays open). Each mutation has its own key and is
    /// retried as the client is told to; every 4th candidature is sent again with its key to another
    /// silo, as after a lost answer.
    /// </summary>
    private sealed class Writer(RetryingGraphQLClient client, int number, int silo, EsmsSet esms, ConcurrentBag<ExpectedPerson> persons,
        ConcurrentQueue<string> refusals, ConcurrentQueue<(string, string, string?)> replays)
    {
        private static readonly string[] Syllables = ["ba", "lo", "mi", "ren", "tor", "vu", "sal", "ke", "dan", "pi", "gou", "fer", "ni", "zo", "char", "mou", "lei", "bre"];
        private static readonly string[] FirstNames = ["Léa", "Hugo", "Chloé", "Nathan", "Manon", "Lucas", "Inès", "Jules", "Camille", "Louis", "Sarah", "Enzo"];
        private readonly Random _random = new(number * 7919 + Environment.TickCount);
        private int _silo = silo;
        private int _persons;
        private int _candidatures;

        /// <summary>The base-18 digits of <paramref name="value"/>, one per syllable.</summary>
        private static IEnumerable<int> Digits(int value)
        {
            var digits = new List<int>();
            do
            {
                digits.Add(value % Syllables.Length);
                value /= Syllables.Length;
            }
            while (value > 0);
            return digits;
        }

        public async Task OnePersonAsync(Action<Acknowledged> acknowledged, CancellationToken stop)
        {
            var n = ++_persons;
            var created = await SendAsync("mutation($in: CreatePersonInput!) { createPerson(input: $in) { person { id } } }", new
            {
                @in = new
                {
                    department = Department,
                    // Distinct by construction (writer, rank): names spelled from the number, birth dates a week apart (aged 30 to 56),
                    // so identity resolution can never take two of them for one person.
                    birthName = string.Concat(Digits(number * 1000 + n).Select(d => Syllables[d])).ToUpperInvariant(),
                    firstNames = new[] { FirstNames[(number + n) % FirstNames.Length] },
                    birthDate = new DateOnly(1970, 1, 1).AddDays(7 * ((number - 1) * 200 + n)).ToString("yyyy-MM-dd"),
                    sex = _random.Next(2) == 0 ? "FEMALE" : "MALE",
                    residenceCommune = "61001",
                    situation = new { kind = "AT_HOME_WITHOUT_SOLUTION", since = "2025-01-01" },
                    consentToShare = true,
                },
            }, acknowledged);
            var person = new ExpectedPerson(created.GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!);
            if (persons.Any(p => p.Id == person.Id))
            {
                refusals.Enqueue($"écrivain {number} : createPerson a rendu une personne déjà créée ({person.Id}) pour une identité distincte");
                return;
            }
            persons.Add(person);
            foreach (var kind in new[] { Mas, Fam, Esat })
            {
                if (stop.IsCancellationRequested) return;
                await SendAsync("mutation($p: ID!, $r: String!, $k: KindOfSupport!) { addOrientation(input: {personId: $p, decisionReference: $r, kind: $k, validFrom: \"2025-01-01\", validTo: \"2030-12-31\"}) { person { id } } }",
                    new { p = person.Id, r = $"CDAPH-{number}-{n}-{kind}", k = kind }, acknowledged);
                lock (person) person.Acknowledged++;
            }
            var targets = esms.Mas.OrderBy(_ => _random.Next()).Take(2).Select(f => (f, Mas))
                .Append((esms.Fam[_random.Next(esms.Fam.Count)], Fam)).Append((esms.Esat[_random.Next(esms.Esat.Count)], Esat)).ToList();
            foreach (var (finess, kind) in targets)
            {
                if (stop.IsCancellationRequested) return;
                const string create = "mutation($p: ID!, $f: String!, $m: Modality!) { createCandidature(input: {personId: $p, finess: $f, modality: $m, requestDate: \"2026-01-15\"}) { candidature { id finess kind status } } }";
                var variables = new { p = person.Id, f = finess, m = ModalityOf(kind) };
                var key = Guid.NewGuid().ToString();
                var ack = await client.MutateAsync(_silo, create, variables, key, GiveUpOneMutation);
                Track(ack, acknowledged);
                var candidature = ack.Data.GetProperty("createCandidature").GetProperty("candidature");
                lock (person)
                {
                    person.Candidatures.Add(new ExpectedCandidature(candidature.GetProperty("id").GetString()!, finess, kind));
                    person.Acknowledged++;
                }
                if (++_candidatures % 4 == 0)
                {
                    // As after an answer lost on the way back: the same request, the same key, another silo.
                    var again = await client.MutateAsync((ack.Silo + 1) % client.SiloCount, create, variables, key, GiveUpOneMutation);
                    replays.Enqueue((ack.Body, again.Body, again.IdempotencyStatus));
                }
            }
            if (n % 2 == 1 || stop.IsCancellationRequested)
                return;
            var admitted = person.Candidatures.First(c => c.Kind == Mas);
            foreach (var status in new[] { "UNDER_REVIEW", "WAITING", "OFFERED", "ADMITTED" })
            {
                if (stop.IsCancellationRequested && status != "ADMITTED") return;
                await SendAsync("mutation($p: ID!, $c: ID!, $s: CandidatureStatus!) { changeCandidatureStatus(input: {personId: $p, candidatureId: $c, status: $s}) { person { id } } }",
                    new { p = person.Id, c = admitted.Id, s = status }, acknowledged);
                lock (person)
                {
                    admitted.Status = status;
                    person.Acknowledged++;
                    if (status == "ADMITTED")
                    {
                        person.Admitted = true;
                        foreach (var other in person.Candidatures.Where(c => SameKind(c.Kind, admitted.Kind) && c != admitted))
                            other.Status = "SOLUTION_FOUND_ELSEWHERE";
                    }
                }
            }
        }

        private async Task<JsonElement> SendAsync(string query, object variables, Action<Acknowledged> acknowledged)
        {
            var ack = await client.MutateAsync(_silo, query, variables, Guid.NewGuid().ToString(), GiveUpOneMutation);
            Track(ack, acknowledged);
            return ack.Data;
        }

        private void Track(Acknowledged ack, Action<Acknowledged> acknowledged)
        {
            _silo = ack.Silo; // a writer whose silo died stays on the one that answered
            acknowledged(ack);
        }
    }

    private sealed class OutputWriter(ITestOutputHelper output) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void WriteLine(string? value)
        {
            try { output.WriteLine(value ?? ""); } catch (InvalidOperationException) { }
        }
    }
}
