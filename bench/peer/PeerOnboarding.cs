using System.Globalization;
using Listes360.Domain.Identity;
using Listes360.Domain.Registry;
using Listes360.Domain.Territories;
using Listes360.Grains.Lists;
using Npgsql;
using NpgsqlTypes;

namespace Listes360.Bench.Peer;

/// <summary>What one list import did in the peer.</summary>
internal sealed record PeerImportReport(string Finess, int Rows, int Matched, int Created, int CandidaturesCreated);

/// <summary>
/// Onboarding (operation a) the way a competent engineer writes it on PostgreSQL: the list is parsed by
/// the same reader as Listes360's (parsing is not what is compared), copied in bulk (binary COPY) into a
/// temporary table, then resolved against the persons already known in set-based SQL — same hashed NIR,
/// then same MDPH file number, then the same block (birth date and French phonetic keys of the last and
/// first names, the keys Listes360's blocking uses) — and the rest become new persons. Idempotent: a
/// re-import finds every person and every candidature (unique person, ESMS, modality) and adds nothing.
/// Weaker than Listes360's resolution on purpose of scope (no year-typo, swapped-day or usage-name
/// scoring, no review queue), which makes the peer faster, not slower.
/// </summary>
internal sealed class PeerOnboarding(NpgsqlDataSource database, string department)
{
    public async Task<PeerImportReport> ImportAsync(FinessNumber finess, IReadOnlyList<ListImportRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, """
            create temporary table incoming (
                line int, birth_name text, usage_name text, first_names text, birth_date date, mdph text, nir_hash text,
                commune text, latitude double precision, longitude double precision, territory text, block_key text, search_text text,
                situation smallint, situation_since date, decision text, orientation_kind smallint, valid_from date, valid_to date,
                modality smallint, request_date date, person_id bigint) on commit drop
            """, cancellationToken);

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy incoming (line, birth_name, usage_name, first_names, birth_date, mdph, nir_hash, commune, latitude, longitude, territory, block_key, search_text, situation, situation_since, decision, orientation_kind, valid_from, valid_to, modality, request_date) from stdin (format binary)",
            cancellationToken))
        {
            foreach (var row in rows)
            {
                // A row without birth date (joined by its MDPH number or NIR only) has no identity to copy; the generated lists always carry one.
                if (row.Identity is not { } identity)
                    continue;
                var first = identity.FirstNames.Length > 0 ? identity.FirstNames[0] : "";
                var point = CommuneCentres.Of(identity.ResidenceCommune);
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(row.Line, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(identity.BirthName, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(copy, identity.UsageName, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(string.Join(' ', identity.FirstNames), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(identity.BirthDate, NpgsqlDbType.Date, cancellationToken);
                await WriteNullable(copy, identity.MdphFileNumber, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(copy, identity.NirHash?.Value, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(copy, identity.ResidenceCommune, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(copy, point?.Latitude, NpgsqlDbType.Double, cancellationToken);
                await WriteNullable(copy, point?.Longitude, NpgsqlDbType.Double, cancellationToken);
                // The residence territory (EPCI) as Listes360 derives it (embedded directories; null elsewhere).
                await WriteNullable(copy, Domain.Persons.PersonFile.TerritoryOf(identity.ResidenceCommune), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(BlockKey(identity.BirthDate, identity.UsageName ?? identity.BirthName, first), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(PeerSearch.Text(identity.BirthName, identity.UsageName, identity.FirstNames), NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(copy, row.Situation is { } s ? (short?)(short)s.Kind : null, NpgsqlDbType.Smallint, cancellationToken);
                await WriteNullable(copy, row.Situation?.Since, NpgsqlDbType.Date, cancellationToken);
                await WriteNullable(copy, row.Orientation?.DecisionReference, NpgsqlDbType.Text, cancellationToken);
                await WriteNullable(copy, row.Orientation?.Kind is { } k ? (short?)(short)k : null, NpgsqlDbType.Smallint, cancellationToken);
                await WriteNullable(copy, row.Orientation?.ValidFrom, NpgsqlDbType.Date, cancellationToken);
                await WriteNullable(copy, row.Orientation?.ValidTo, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync((short)row.Modality, NpgsqlDbType.Smallint, cancellationToken);
                await copy.WriteAsync(row.RequestDate, NpgsqlDbType.Date, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        var matched = 0;
        // Strong keys first, then the block; one person per key (the oldest), as an index lookup each.
        matched += await Execute(connection, """
            update incoming i set person_id = p.id from person p
            where i.person_id is null and i.nir_hash is not null and p.nir_hash = i.nir_hash and p.department = @department
            """, cancellationToken);
        matched += await Execute(connection, """
            update incoming i set person_id = p.id from person p
            where i.person_id is null and i.mdph is not null and p.mdph = i.mdph and p.department = @department
            """, cancellationToken);
        matched += await Execute(connection, """
            update incoming i set person_id = m.id
            from (select distinct on (block_key) block_key, id from person where department = @department order by block_key, id) m
            where i.person_id is null and m.block_key = i.block_key
            """, cancellationToken);
        // One list holds a person once; the rest are new persons.
        var created = await Execute(connection, "update incoming set person_id = nextval('person_ids') where person_id is null", cancellationToken) ;
        await Execute(connection, """
            insert into person (id, department, birth_name, usage_name, first_names, birth_date, mdph, nir_hash, commune, territory,
                                latitude, longitude, situation, situation_since, block_key, search_text)
            select i.person_id, @department, i.birth_name, i.usage_name, i.first_names, i.birth_date, i.mdph, i.nir_hash, i.commune, i.territory,
                   i.latitude, i.longitude, i.situation, i.situation_since, i.block_key, i.search_text
            from incoming i where not exists (select 1 from person p where p.id = i.person_id)
            on conflict (id) do nothing
            """, cancellationToken);
        // A known person's situation follows the latest list that says it.
        await Execute(connection, """
            update person p set situation = i.situation, situation_since = i.situation_since
            from incoming i where p.id = i.person_id and i.situation is not null
              and (p.situation is distinct from i.situation or p.situation_since is distinct from i.situation_since)
            """, cancellationToken);
        await Execute(connection, """
            insert into orientation (person_id, decision, kind, valid_from, valid_to)
            select distinct on (person_id, decision, coalesce(orientation_kind, @kind))
                   person_id, decision, coalesce(orientation_kind, @kind), coalesce(valid_from, request_date), valid_to
            from incoming where decision is not null
            on conflict do nothing
            """, cancellationToken);
        var candidatures = await Execute(connection, """
            -- RECEIVED, as Listes360's import creates them (its review then moves them to UNDER_REVIEW and WAITING).
            insert into candidature (person_id, finess, modality, kind, family, audience, status, status_since, request_date)
            select i.person_id, @finess, i.modality, e.kind, e.family, e.audience, 1, i.request_date, i.request_date
            from incoming i join esms e on e.finess = @finess
            on conflict (person_id, finess, modality) do nothing
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PeerImportReport(finess.Value, rows.Count, matched, created, candidatures);

        async Task<int> Execute(NpgsqlConnection c, string sql, CancellationToken token)
        {
            await using var command = new NpgsqlCommand(sql, c, transaction);
            if (sql.Contains("@department", StringComparison.Ordinal)) command.Parameters.AddWithValue("department", department);
            if (sql.Contains("@finess", StringComparison.Ordinal)) command.Parameters.AddWithValue("finess", finess.Value);
            if (sql.Contains("@kind", StringComparison.Ordinal))
                command.Parameters.AddWithValue("kind", (short)await EsmsKindAsync(c, finess, transaction, token));
            return await command.ExecuteNonQueryAsync(token);
        }
    }

    private static async Task<KindOfSupport> EsmsKindAsync(NpgsqlConnection connection, FinessNumber finess, NpgsqlTransaction transaction, CancellationToken token)
    {
        await using var command = new NpgsqlCommand("select kind from esms where finess = @finess", connection, transaction);
        command.Parameters.AddWithValue("finess", finess.Value);
        return (KindOfSupport)(short)(await command.ExecuteScalarAsync(token) ?? throw new InvalidOperationException($"ESMS {finess} inconnu du pair."));
    }

    /// <summary>The blocking key: birth date and the French phonetic keys of the last and first names.</summary>
    internal static string BlockKey(DateOnly birthDate, string lastName, string firstName) =>
        string.Create(CultureInfo.InvariantCulture, $"{birthDate:yyyyMMdd}|{FrenchPhonetic.Key(lastName)}|{FrenchPhonetic.Key(firstName)}");

    private static Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken token) where T : class =>
        value is null ? copy.WriteNullAsync(token) : copy.WriteAsync(value, type, token);

    private static Task WriteNullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken token) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, token) : copy.WriteNullAsync(token);
}

/// <summary>The text the peer's trigram index searches: folded birth name, usage name and first names.</summary>
internal static class PeerSearch
{
    public static string Text(string birthName, string? usageName, IEnumerable<string> firstNames) =>
        FrenchNames.Fold(string.Join(' ', new[] { usageName, birthName }.Where(n => !string.IsNullOrWhiteSpace(n)).Concat(firstNames)));
}
