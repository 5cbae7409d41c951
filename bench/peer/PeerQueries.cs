using Npgsql;

namespace Listes360.Bench.Peer;

/// <summary>
/// Operations (b)–(e) of issue 20 as SQL, each one round trip answering JSON built by PostgreSQL
/// (<c>json_agg</c>): what a competent engineer writes when the API must be fast. The grid is the Orne's
/// default grid (<c>src/Listes360.Domain/Grid/default-61.json</c>, the one Listes360 ranks with), its
/// points written as SQL expressions over the facts the database holds.
/// </summary>
internal sealed class PeerQueries(NpgsqlDataSource database, string department)
{
    /// <summary>(b) One ESMS's ranking for a modality: the eligible open candidatures with each criterion's points, top <paramref name="first"/>.</summary>
    public async Task<string> RankingAsync(string finess, short modality, DateOnly today, int first, CancellationToken token)
    {
        const string sql = """
            with eligible as (
                select c.id, c.person_id, c.request_date, c.status, p.situation, p.situation_since, p.urgency, p.carer_exhausted, p.carer_age,
                       case when p.latitude is null or e.latitude is null then null else distance_km(p.latitude, p.longitude, e.latitude, e.longitude) end as km,
                       c.refused_offers
                from candidature c
                join esms e on e.finess = c.finess
                join person p on p.id = c.person_id
                where c.finess = @finess and c.modality = @modality and c.status in (1, 3, 4, 5)
                  and whole_months(p.birth_date, @today) / 12 >= e.age_from
                  and (e.age_until is null or whole_months(p.birth_date, @today) / 12 < e.age_until)
                  and exists (select 1 from orientation o join accepted_orientation a on a.orientation_kind = o.kind and a.esms_kind = e.kind
                              where o.person_id = c.person_id and o.valid_from <= @today and (o.valid_to is null or o.valid_to >= @today))
            ), scored as (
                select id, person_id, request_date, status,
                       case when urgency then 40 else 0 end as urgence,
                       case when situation = 1 then least(30 + whole_months(situation_since, @today), 54) else 0 end as sans_solution,
                       case when situation = 3 then 25 else 0 end as creton,
                       case when carer_exhausted then 15 else 0 end as aidant_epuise,
                       case when carer_age >= 80 then 12 when carer_age >= 70 then 8 when carer_age >= 60 then 4 else 0 end as aidant_age,
                       case when situation in (6, 7) then 15 else 0 end as retour,
                       least(whole_months(request_date, @today) / 2, 24) as anciennete,
                       case when km < 10 then 10 when km < 25 then 6 when km < 50 then 3 else 0 end as proximite,
                       -least(refused_offers * 5, 15) as refus_offre
                from eligible
            ), ranked as (
                select *, urgence + sans_solution + creton + aidant_epuise + aidant_age + retour + anciennete + proximite + refus_offre as total
                from scored
            )
            select coalesce(json_agg(r order by r.rank), '[]')::text from (
                select row_number() over (order by total desc, request_date, id) as rank, id as "candidatureId", person_id as "personId",
                       request_date as "requestDate", status, total,
                       json_build_object('URGENCE', urgence, 'SANS_SOLUTION', sans_solution, 'CRETON', creton, 'AIDANT_EPUISE', aidant_epuise,
                                         'AIDANT_AGE', aidant_age, 'RETOUR', retour, 'ANCIENNETE', anciennete, 'PROXIMITE', proximite,
                                         'REFUS_OFFRE', refus_offre) as points
                from ranked order by total desc, request_date, id limit @first
            ) r
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("finess", finess);
        command.Parameters.AddWithValue("modality", modality);
        command.Parameters.AddWithValue("today", today);
        command.Parameters.AddWithValue("first", first);
        return (string)(await command.ExecuteScalarAsync(token))!;
    }

    /// <summary>
    /// (c) An admission: the candidature moves to ADMITTED; the person's other open candidatures of the
    /// same family and public (lasting modalities, not kept for a preferred ESMS, not temporary stays)
    /// move to SOLUTION_FOUND_ELSEWHERE; both written to the history; the ESMS's occupied places + 1.
    /// One transaction. <c>null</c> when the candidature is not open (the API answers 409).
    /// </summary>
    public async Task<string?> AdmitAsync(long candidatureId, DateOnly today, CancellationToken token)
    {
        const string sql = """
            with admitted as (
                update candidature set status = 6, status_since = @today
                where id = @id and status between 1 and 5
                returning id, person_id, family, audience, modality, finess, 5 as previous
            ), ended as (
                update candidature c set status = 11, status_since = @today
                from admitted a
                where c.person_id = a.person_id and c.id <> a.id and c.status between 1 and 5 and not c.waiting_for_preferred
                  and c.modality <> 4 and a.modality not in (4, 5) and c.family = a.family and c.audience = a.audience
                returning c.id, a.id as cause
            ), history as (
                insert into candidature_history (candidature_id, at, from_status, to_status, reason, cause)
                select id, now(), 4, 6, null, null from admitted
                union all
                select id, now(), 4, 11, '119', cause from ended
            ), seats as (
                update places p set occupied = occupied + 1 from admitted a
                where p.finess = a.finess and p.modality = a.modality and p.occupied < p.capacity
            )
            select case when exists (select 1 from admitted)
                        then json_build_object('admitted', (select id from admitted), 'endedElsewhere', coalesce((select json_agg(id) from ended), '[]'))::text
                   end
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("id", candidatureId);
        command.Parameters.AddWithValue("today", today);
        return await command.ExecuteScalarAsync(token) as string;
    }

    /// <summary>(d) Distinct persons waiting by kind and by territory, and the sum of list entries beside them.</summary>
    public async Task<string> CountsAsync(CancellationToken token)
    {
        const string sql = """
            with waiting_rows as (
                select c.person_id, c.kind, p.territory from candidature c join person p on p.id = c.person_id
                where p.department = @department and c.status between 1 and 5
            )
            select json_build_object(
                'distinctPersonsWaiting', (select count(distinct person_id) from waiting_rows),
                'listEntries', (select count(*) from waiting_rows),
                'byKind', (select coalesce(json_agg(k), '[]') from (select kind, count(distinct person_id) as persons, count(*) as entries from waiting_rows group by kind order by kind) k),
                'byTerritory', (select coalesce(json_agg(t), '[]') from (select territory, count(distinct person_id) as persons, count(*) as entries from waiting_rows group by territory order by territory) t)
            )::text
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("department", department);
        return (string)(await command.ExecuteScalarAsync(token))!;
    }

    /// <summary>
    /// (e) The waiting list, one row per person with an open candidature: filtered by territory and kind,
    /// searched by name (trigram similarity on the folded names), else oldest request first; a page of
    /// <paramref name="first"/> rows after <paramref name="after"/> rows, and the total.
    /// </summary>
    public async Task<string> WaitingListAsync(string? territory, short? kind, string? search, int first, int after, CancellationToken token)
    {
        var searching = !string.IsNullOrWhiteSpace(search);
        var sql = $$"""
            with waiting as (
                select p.id, p.birth_name, p.usage_name, p.first_names, p.birth_date, p.territory, p.situation,
                       min(c.request_date) as oldest,
                       json_agg(json_build_object('finess', c.finess, 'modality', c.modality, 'kind', c.kind, 'status', c.status, 'requestDate', c.request_date)) as candidatures
                       {{(searching ? ", similarity(p.search_text, @search) as score" : "")}}
                from person p join candidature c on c.person_id = p.id and c.status between 1 and 5
                where p.department = @department
                  {{(territory is null ? "" : "and p.territory = @territory")}}
                  {{(kind is null ? "" : "and exists (select 1 from candidature k where k.person_id = p.id and k.kind = @kind and k.status between 1 and 5)")}}
                  {{(searching ? "and p.search_text % @search" : "")}}
                group by p.id
            )
            select json_build_object('totalCount', (select count(*) from waiting),
                   'rows', coalesce((select json_agg(w) from (select * from waiting order by {{(searching ? "score desc, " : "")}}oldest, id offset @after limit @first) w), '[]'))::text
            """;
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("department", department);
        if (territory is not null) command.Parameters.AddWithValue("territory", territory);
        if (kind is not null) command.Parameters.AddWithValue("kind", kind.Value);
        if (searching) command.Parameters.AddWithValue("search", Domain.Identity.FrenchNames.Fold(search));
        command.Parameters.AddWithValue("first", first);
        command.Parameters.AddWithValue("after", after);
        return (string)(await command.ExecuteScalarAsync(token))!;
    }
}
