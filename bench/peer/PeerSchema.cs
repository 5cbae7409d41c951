using Listes360.Domain.Registry;
using Listes360.Imports.Registry;
using Npgsql;
using NpgsqlTypes;

namespace Listes360.Bench.Peer;

/// <summary>Creates the peer's schema and loads the département's ESMS (the same profiles Listes360's registry import makes).</summary>
internal static class PeerSchema
{
    public static async Task<Dictionary<string, EsmsProfile>> CreateAsync(NpgsqlDataSource database, string department, string finessFile, TextWriter log)
    {
        await using (var stream = typeof(PeerSchema).Assembly.GetManifestResourceStream("schema.sql")!)
        using (var reader = new StreamReader(stream))
        {
            await using var command = database.CreateCommand(await reader.ReadToEndAsync());
            await command.ExecuteNonQueryAsync();
        }

        await using (var connection = await database.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync("copy accepted_orientation (esms_kind, orientation_kind) from stdin (format binary)"))
        {
            foreach (var info in KindsOfSupport.All)
                foreach (var accepted in info.AcceptedOrientations)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync((short)info.Kind, NpgsqlDbType.Smallint);
                    await copy.WriteAsync((short)accepted, NpgsqlDbType.Smallint);
                }
            await copy.CompleteAsync();
        }

        if (!File.Exists(finessFile))
            throw new FileNotFoundException($"Extraction FINESS introuvable : {finessFile} (--finess FICHIER).", finessFile);
        var profiles = EsmsFileReader.ReadFile(finessFile).Rows
            .Select(r => r.Profile)
            .Where(p => p.Finess.Value.StartsWith(department, StringComparison.Ordinal) && p.Kind.Info().InWaitingListScope)
            .GroupBy(p => p.Finess.Value).Select(g => g.First())
            .ToDictionary(p => p.Finess.Value, StringComparer.Ordinal);
        await using (var connection = await database.OpenConnectionAsync())
        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy esms (finess, department, name, kind, family, audience, age_from, age_until, territory, commune, latitude, longitude) from stdin (format binary)"))
        {
            foreach (var p in profiles.Values)
            {
                var info = p.Kind.Info();
                await copy.StartRowAsync();
                await copy.WriteAsync(p.Finess.Value, NpgsqlDbType.Char);
                await copy.WriteAsync(department, NpgsqlDbType.Text);
                await copy.WriteAsync(p.Name, NpgsqlDbType.Text);
                await copy.WriteAsync((short)p.Kind, NpgsqlDbType.Smallint);
                await copy.WriteAsync((short)info.Family, NpgsqlDbType.Smallint);
                await copy.WriteAsync((short)info.Audience, NpgsqlDbType.Smallint);
                await copy.WriteAsync(p.AgeRange.From, NpgsqlDbType.Integer);
                if (p.AgeRange.Until is { } until) await copy.WriteAsync(until, NpgsqlDbType.Integer); else await copy.WriteNullAsync();
                if (p.Territory is { } t) await copy.WriteAsync(t, NpgsqlDbType.Text); else await copy.WriteNullAsync();
                if (p.Commune is { } c) await copy.WriteAsync(c, NpgsqlDbType.Text); else await copy.WriteNullAsync();
                if (p.Latitude is { } lat) await copy.WriteAsync(lat, NpgsqlDbType.Double); else await copy.WriteNullAsync();
                if (p.Longitude is { } lon) await copy.WriteAsync(lon, NpgsqlDbType.Double); else await copy.WriteNullAsync();
            }
            await copy.CompleteAsync();
        }
        await log.WriteLineAsync($"Répertoire du pair : {profiles.Count} ESMS du département {department} ({finessFile}).");
        return profiles;
    }
}
