using System.Collections.Immutable;
using System.Text.Json;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using Npgsql;

namespace Listes360.Bench.Peer;

/// <summary>Free half-days an ESMS declares (operation f's data), as the peer's API receives them.</summary>
internal sealed record AvailabilityRequest(short Modality, int HalfDays, int Places);

/// <summary>A person's candidature (by identity, ESMS and modality) whose review is done.</summary>
internal sealed record PeerReviewed(string BirthName, string FirstNames, DateOnly BirthDate, string Finess, short Modality);

/// <summary>A person's sequential need as the peer's API receives it; the person is named by identity (the two systems' ids differ).</summary>
internal sealed record PeerNeed(string BirthName, string FirstNames, DateOnly BirthDate, int Amount, short Unit, short[] Modalities, double? MaxDistanceKm);

/// <summary>
/// Operation (f) of issue 20: the sequential search for one territory (or the whole département), with
/// Listes360's semantics. PostgreSQL does what it is good at in one round trip each — the waiting
/// candidates of the territory with a need, their valid orientations and oldest waiting request, and the
/// declared free half-days per ESMS — and the combinatorial part (subsets of at most K ESMS whose free
/// half-days cover a week's need exactly, minimal, nearest first) runs in C# as the same pure function
/// Listes360 calls (<see cref="SequentialSearch.Search"/>): a competent engineer would not write a
/// bitmask subset enumeration in SQL, and sharing the function makes both answers the same by
/// construction. The score is seniority (days since the oldest waiting request), Listes360's default;
/// the peer has no proposals, so no reservation takes places.
/// </summary>
internal sealed class PeerSequential(NpgsqlDataSource database, string department, IReadOnlyDictionary<string, EsmsProfile> registry)
{
    public async Task<string> SearchAsync(string? territory, DateOnly today, int maxStructures, int first, CancellationToken token)
    {
        var candidatesTask = CandidatesAsync(territory, today, token);
        var offersTask = OffersAsync(token);
        var candidates = await candidatesTask;
        var offers = await offersTask;
        var result = SequentialSearch.Search(new SequentialQuery
        {
            Date = today, Territory = territory, MaxStructures = maxStructures, First = first, Now = DateTimeOffset.UtcNow,
        }, candidates, offers);
        return JsonSerializer.Serialize(new
        {
            candidatesConsidered = result.CandidatesConsidered,
            candidatesCovered = result.CandidatesCovered,
            totalCombinations = result.TotalCombinations,
            combinations = result.Combinations.Select(c => new
            {
                personId = c.Person.Value, score = c.Score, weeklyDistanceKm = c.WeeklyDistanceKm,
                parts = c.Parts.Select(p => new { finess = p.Finess.Value, modality = (short)p.Modality, halfDays = p.HalfDays, distanceKm = p.Distance.Km }),
            }),
        });
    }

    private async Task<List<SequentialCandidate>> CandidatesAsync(string? territory, DateOnly today, CancellationToken token)
    {
        // Waiting (a candidature in WAITING, none OFFERED), with a need in force, in the territory; orientations valid today.
        var sql = $"""
            select p.id, p.birth_date, p.territory, p.commune, p.latitude, p.longitude,
                   n.amount, n.unit, n.modalities, n.max_distance_km, n.territories, n.valid_from,
                   (select min(c.request_date) from candidature c where c.person_id = p.id and c.status = 4) as oldest,
                   (select array_agg(o.kind) from orientation o where o.person_id = p.id and o.valid_from <= @today and (o.valid_to is null or o.valid_to >= @today)) as kinds
            from sequential_needs n join person p on p.id = n.person_id
            where p.department = @department and n.valid_from <= @today {(territory is null ? "" : "and p.territory = @territory")}
              and exists (select 1 from candidature c where c.person_id = p.id and c.status = 4)
              and not exists (select 1 from candidature c where c.person_id = p.id and c.status = 5)
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("department", department);
        command.Parameters.AddWithValue("today", today);
        if (territory is not null) command.Parameters.AddWithValue("territory", territory);
        var list = new List<SequentialCandidate>();
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            var kinds = reader.IsDBNull(13) ? [] : reader.GetFieldValue<short[]>(13);
            list.Add(new SequentialCandidate
            {
                Person = PersonId.Parse($"{department}-{reader.GetInt64(0)}"),
                BirthDate = reader.GetFieldValue<DateOnly>(1),
                Orientations = [.. kinds.Distinct().Select(k => new Orientation { DecisionReference = "peer", Kind = (KindOfSupport)k, ValidFrom = today })],
                Needs = new SequentialNeeds
                {
                    Amount = reader.GetInt32(6), Unit = (NeedUnit)reader.GetInt16(7),
                    Modalities = [.. reader.GetFieldValue<short[]>(8).Select(m => (Modality)m)],
                    MaxDistanceKm = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                    Territories = [.. reader.GetFieldValue<string[]>(10)],
                    From = reader.GetFieldValue<DateOnly>(11), UpdatedBy = "peer", UpdatedAt = DateTimeOffset.UnixEpoch,
                },
                Home = new HomeLocation(reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4), reader.IsDBNull(5) ? null : reader.GetDouble(5)),
                OldestWaitingRequest = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly>(12),
                Waiting = true,
            });
        }
        return list;
    }

    private async Task<List<EsmsOffer>> OffersAsync(CancellationToken token)
    {
        await using var command = database.CreateCommand("select id, finess, modality, half_days, places, valid_from, valid_to from availability order by finess, id");
        var declarations = new Dictionary<string, List<AvailabilityDeclaration>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(token);
        while (await reader.ReadAsync(token))
        {
            var finess = reader.GetString(1);
            if (!declarations.TryGetValue(finess, out var list))
                declarations[finess] = list = [];
            list.Add(new AvailabilityDeclaration
            {
                Id = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture), Modality = (Modality)reader.GetInt16(2),
                HalfDays = reader.GetInt32(3), Places = reader.GetInt32(4), From = reader.GetFieldValue<DateOnly>(5),
                To = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6), DeclaredBy = "peer", DeclaredAt = DateTimeOffset.UnixEpoch,
            });
        }
        return [.. declarations.Where(d => registry.ContainsKey(d.Key)).Select(d => new EsmsOffer(registry[d.Key],
            new EsmsAvailability { Finess = registry[d.Key].Finess, Declarations = [.. d.Value] }))];
    }

    /// <summary>Declares free half-days for an ESMS (the modality must be one it offers).</summary>
    public async Task<bool> DeclareAsync(string finess, short modality, int halfDays, int places, DateOnly from, CancellationToken token)
    {
        if (!registry.TryGetValue(finess, out var profile) || !profile.Modalities.Contains((Modality)modality) || places < 1
            || halfDays == 0 || (halfDays & ~WeekSlots.FullWeek) != 0)
            return false;
        await using var command = database.CreateCommand("insert into availability (finess, modality, half_days, places, valid_from) values (@finess, @modality, @halfDays, @places, @from)");
        command.Parameters.AddWithValue("finess", finess);
        command.Parameters.AddWithValue("modality", modality);
        command.Parameters.AddWithValue("halfDays", halfDays);
        command.Parameters.AddWithValue("places", places);
        command.Parameters.AddWithValue("from", from);
        await command.ExecuteNonQueryAsync(token);
        return true;
    }

    /// <summary>The review of the persons' candidatures at these ESMS and modalities is done: RECEIVED or UNDER_REVIEW become WAITING.</summary>
    public async Task<int> MarkWaitingAsync(IReadOnlyList<PeerReviewed> reviewed, DateOnly today, CancellationToken token)
    {
        const string sql = """
            update candidature c set status = 4, status_since = @today
            from unnest(@birthNames, @firstNames, @birthDates, @finess, @modalities) as r(birth_name, first_names, birth_date, finess, modality)
                 join person p on p.department = @department and p.birth_date = r.birth_date and p.birth_name = r.birth_name and p.first_names = r.first_names
            where c.person_id = p.id and c.finess = r.finess and c.modality = r.modality and c.status in (1, 3)
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("department", department);
        command.Parameters.AddWithValue("today", today);
        command.Parameters.AddWithValue("birthNames", reviewed.Select(n => n.BirthName).ToArray());
        command.Parameters.AddWithValue("firstNames", reviewed.Select(n => n.FirstNames).ToArray());
        command.Parameters.AddWithValue("birthDates", reviewed.Select(n => n.BirthDate).ToArray());
        command.Parameters.AddWithValue("finess", reviewed.Select(n => n.Finess).ToArray());
        command.Parameters.AddWithValue("modalities", reviewed.Select(n => n.Modality).ToArray());
        return await command.ExecuteNonQueryAsync(token);
    }

    /// <summary>Sets (or replaces) the needs of the persons named by identity; answers how many persons were found.</summary>
    public async Task<int> SetNeedsAsync(IReadOnlyList<PeerNeed> needs, DateOnly from, CancellationToken token)
    {
        const string sql = """
            insert into sequential_needs (person_id, amount, unit, modalities, max_distance_km, valid_from)
            select p.id, n.amount, n.unit, string_to_array(n.modalities, ',')::smallint[], n.max_distance_km, @from
            from unnest(@birthNames, @firstNames, @birthDates, @amounts, @units, @maxKm, @modalities)
                 as n(birth_name, first_names, birth_date, amount, unit, max_distance_km, modalities)
                 join lateral (select id from person p where p.department = @department and p.birth_date = n.birth_date
                               and p.birth_name = n.birth_name and p.first_names = n.first_names order by id limit 1) p on true
            on conflict (person_id) do update set amount = excluded.amount, unit = excluded.unit, modalities = excluded.modalities,
                 max_distance_km = excluded.max_distance_km, valid_from = excluded.valid_from
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("department", department);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("birthNames", needs.Select(n => n.BirthName).ToArray());
        command.Parameters.AddWithValue("firstNames", needs.Select(n => n.FirstNames).ToArray());
        command.Parameters.AddWithValue("birthDates", needs.Select(n => n.BirthDate).ToArray());
        command.Parameters.AddWithValue("amounts", needs.Select(n => n.Amount).ToArray());
        command.Parameters.AddWithValue("units", needs.Select(n => n.Unit).ToArray());
        command.Parameters.AddWithValue("maxKm", needs.Select(n => n.MaxDistanceKm).ToArray());
        command.Parameters.AddWithValue("modalities", needs.Select(n => string.Join(',', n.Modalities)).ToArray());
        return await command.ExecuteNonQueryAsync(token);
    }
}
