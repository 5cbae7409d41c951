using System.Text;
using System.Text.Json;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Imports.Registry;
using Listes360.Imports.Simulation;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// A service of its own, seeded as <c>./listes360 up</c> seeds the demo: the Orne's real ESMS registry
/// and a SIMULATED population imported through the ESMS lists (<see cref="DemoSeed"/>), nothing else.
/// </summary>
public sealed class SeededOrneFixture : IAsyncLifetime
{
    public const int Persons = 300;

    public ApiFixture Api { get; } = new();

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "listes360-seeded-orne-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        var grains = Api.App.Services.GetRequiredService<IGrainFactory>();
        var registry = OrneReferenceData.Esms.Select((r, i) => new EsmsFileRow(i + 2, EsmsFileReader.ProfileOf(r))).ToList();
        var loaded = await new EsmsRegistryImporter(grains, Caller.ServiceItself).ImportAsync(registry);
        if (loaded.Rejected.Count > 0)
            throw new InvalidOperationException("Répertoire de l'Orne non chargé : " + string.Join(" ; ", loaded.Rejected));
        await DemoSeed.RunAsync(grains, Caller.ServiceItself, _folder, Persons, Api.App.Services.GetService<Domain.Persons.NirHasher>(),
            ParisDate.Today(TimeProvider.System), TextWriter.Null);
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class SeededOrneCollection : ICollectionFixture<SeededOrneFixture>
{
    public const string Name = "Orne peuplée (SIMULÉE)";
}

/// <summary>Issue 15's acceptance on the seeded Orne: the list has as many rows as the counts say, and a misspelled name finds its person.</summary>
[Collection(SeededOrneCollection.Name)]
public sealed class SeededOrneTests(SeededOrneFixture orne)
{
    private ApiFixture Api => orne.Api;

    private async Task<JsonElement> Admin(string query, object? variables = null)
    {
        var r = await Api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    private async Task<List<JsonElement>> WholeListAsync()
    {
        var rows = new List<JsonElement>();
        string? after = null;
        do
        {
            var page = (await Admin("""
                query($a: String) { waitingList(department: "61", first: 200, after: $a) {
                  totalCount pageInfo { hasNextPage endCursor } edges { node { personId reason birthName usageName firstNames } } } }
                """, new { a = after })).GetProperty("waitingList");
            rows.AddRange(page.Nodes());
            after = page.NextAfter();
        } while (after is not null);
        return rows;
    }

    [Fact]
    public async Task The_list_has_as_many_rows_as_distinct_persons_waiting_in_the_counts()
    {
        var counts = (await Admin("""{ departmentCounts(department: "61") { total { distinctPersonsWaiting } } }"""))
            .GetProperty("departmentCounts").GetProperty("total").GetProperty("distinctPersonsWaiting").GetInt32();
        var total = (await Admin("""{ waitingList(department: "61", first: 1) { totalCount } }""")).GetProperty("waitingList").GetProperty("totalCount").GetInt32();
        var rows = await WholeListAsync();
        Assert.True(total > SeededOrneFixture.Persons / 2, $"{total} lignes pour {SeededOrneFixture.Persons} personnes simulées");
        Assert.Equal(counts, total);
        Assert.Equal(total, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.GetProperty("personId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task At_least_195_of_200_seeded_persons_are_found_in_the_first_five_rows_by_a_misspelled_name()
    {
        var rows = (await WholeListAsync()).OrderBy(r => r.GetProperty("personId").GetString(), StringComparer.Ordinal).ToList();
        Assert.True(rows.Count >= 200, $"{rows.Count} personnes dans la liste");
        var sample = Enumerable.Range(0, 200).Select(i => rows[i * rows.Count / 200]).ToList();
        var missed = new List<string>();
        for (var i = 0; i < sample.Count; i++)
        {
            var row = sample[i];
            var birthName = row.GetProperty("birthName").GetString()!;
            var firstNames = row.GetProperty("firstNames").EnumerateArray().Select(f => f.GetString()!).ToList();
            var search = Misspellings.Of(birthName, firstNames, i);
            var found = (await Admin("""query($s: String!) { waitingList(department: "61", search: $s, first: 5) { edges { node { personId } } } }""", new { s = search }))
                .GetProperty("waitingList").Nodes().Select(n => n.GetProperty("personId").GetString()).ToList();
            if (!found.Contains(row.GetProperty("personId").GetString()))
                missed.Add($"« {search} » pour {birthName} {string.Join(' ', firstNames)}");
        }
        Assert.True(missed.Count <= 5, $"{missed.Count} personnes non trouvées dans les 5 premières lignes :\n" + string.Join("\n", missed));
    }
}

/// <summary>
/// Deterministic misspellings of what a caller says on the phone, one kind by index: two letters
/// swapped, a letter missing, accents lost and all in lower case, the first name said first, a
/// letter doubled or undoubled, a wrong letter. Always a real difference when the name allows it.
/// </summary>
internal static class Misspellings
{
    public static string Of(string birthName, IReadOnlyList<string> firstNames, int index)
    {
        var first = firstNames.Count > 0 ? firstNames[0] : "";
        var position = 1 + index * 7 % Math.Max(1, birthName.Length - 3);
        return (index % 6) switch
        {
            0 => $"{Swap(birthName, position)} {first}",
            1 => $"{Drop(birthName, position)} {first}",
            2 => $"{Plain(birthName)} {Plain(first)}".ToLowerInvariant(),
            3 => $"{first} {Swap(birthName, position)}",
            4 => $"{Double(birthName, position)} {first}",
            _ => $"{birthName} {Replace(first, 1 + index % Math.Max(1, first.Length - 2))}",
        };
    }

    private static string Swap(string s, int i) =>
        s.Length < 4 || i + 1 >= s.Length ? s : s[..i] + s[i + 1] + s[i] + s[(i + 2)..];

    private static string Drop(string s, int i) => s.Length < 5 || i >= s.Length ? s : s.Remove(i, 1);

    private static string Double(string s, int i)
    {
        if (s.Length < 4 || i >= s.Length) return s;
        // A doubled letter is said single (« Pellerin » → « Pelerin »); else one letter is doubled.
        for (var j = 1; j < s.Length; j++)
            if (s[j] == s[j - 1]) return s.Remove(j, 1);
        return s.Insert(i, s[i].ToString());
    }

    private static string Replace(string s, int i) =>
        s.Length < 4 || i >= s.Length ? s : s[..i] + (s[i] == 'e' ? 'a' : 'e') + s[(i + 1)..];

    private static string Plain(string s) =>
        new(s.Normalize(NormalizationForm.FormD).Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark).ToArray());
}
