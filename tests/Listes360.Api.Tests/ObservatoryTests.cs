using System.Text.Json;
using System.Text.RegularExpressions;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

/// <summary>
/// The observatory's queries and exports: pseudonymised rupture risks with flags, probability and
/// factors, indicators, the model's provenance in every answer, and never an identity.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class ObservatoryTests(ApiFixture api)
{
    private const string Nir = "1 70 01 61 123 456 55";

    private const string RisksQuery = """
        query($t: String, $f: [RiskFlag!], $m: Float, $a: String) { ruptureRisks(department: "61", territory: $t, flags: $f, minProbability: $m, first: 50, after: $a) {
          totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { pseudonym ageBand territory kinds situation flags probability computedOn topFactors { code text contribution } } }
          model { modelId trainingData simulated trainedOn seed trainingRows heldOutRows auc prAuc brier baselineAuc baselinePrAuc baselineBrier trainer label } } }
        """;

    private const string IndicatorsQuery = """
        { indicators(department: "61") { department date distinctPersonsWaiting listEntries creton transitionAge
          waitingTimes { kind territory persons medianDays p90Days }
          outcomes { status reason ansStatus ansReason count }
          model { modelId trainingData simulated trainedOn auc prAuc brier baselineAuc baselinePrAuc } } }
        """;

    private async Task<JsonElement> Admin(string query, object? variables = null)
    {
        var r = await api.PostAsync(query, variables);
        Assert.False(r.HasErrors, r.Body);
        return r.Data;
    }

    private async Task<string> Person(string name, string birthDate, string situation, string? extra = null) =>
        (await Admin($$"""mutation($n: String!, $b: DateOnly!) { createPerson(input: {department: "61", birthName: $n, firstNames: ["Observée"], birthDate: $b, sex: FEMALE, residenceCommune: "61001", situation: {kind: {{situation}}, since: "2024-01-01"} {{extra}}}) { person { id } } }""",
            new { n = name, b = birthDate })).GetProperty("createPerson").GetProperty("person").GetProperty("id").GetString()!;

    /// <summary>Three persons with identities that must never come out: a Creton, a young person at the transition, an adult at home with an old carer.</summary>
    private async Task<(string[] Ids, string[] Secrets)> SetUpAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var mdph = "MDPH-OBS-" + suffix;
        var creton = await Person("Cretonnière" + suffix, "2005-01-10", "IN_CHILDREN_ESMS_UNDER_CRETON");
        var young = await Person("Transitoire" + suffix, "2007-06-01", "IN_CHILDREN_ESMS");
        var adult = await Person("Domicile" + suffix, "1980-03-04", "AT_HOME_WITHOUT_SOLUTION",
            $$""", mdphFileNumber: "{{mdph}}", nir: "{{Nir}}", carer: {relationship: PARENT, age: 78, status: EXHAUSTED}""");
        var finess = Listes360.Domain.Registry.FinessNumber.WithKey("61" + Random.Shared.Next(500_000, 999_999).ToString("D6")).Value;
        await Admin("""mutation($f: String!) { registerEsms(input: {finess: $f, name: "MAS de l'observatoire", category: "255"}) { esms { finess } } }""", new { f = finess });
        await Admin("""mutation($p: ID!) { addOrientation(input: {personId: $p, decisionReference: "CDAPH-OBS", kind: MAS, validFrom: "2024-01-01"}) { person { id } } }""", new { p = adult });
        await Admin("""mutation($p: ID!, $f: String!) { createCandidature(input: {personId: $p, finess: $f, modality: RESIDENTIAL, requestDate: "2024-02-01"}) { candidature { id } } }""", new { p = adult, f = finess });
        var hash = new NirHasher(Convert.FromBase64String(api.NirSecret)).Hash(Listes360.Domain.Persons.Nir.Parse(Nir)).Value;
        return ([creton, young, adult],
            ["Cretonnière" + suffix, "Transitoire" + suffix, "Domicile" + suffix, "Observée", mdph, hash, "2005-01-10", "2007-06-01", "1980-03-04", "10/01/2005", "01/06/2007", "04/03/1980"]);
    }

    [Fact]
    public async Task Rupture_risks_list_the_flags_probability_and_factors_of_pseudonymised_persons_with_the_model_provenance()
    {
        var (ids, _) = await SetUpAsync();
        var r = await api.PostAsync(RisksQuery, new { f = new[] { "CRETON", "TRANSITION_AGE" } }, token: api.Token(Role.Observatory));
        Assert.False(r.HasErrors, r.Body);
        var page = r.Data.GetProperty("ruptureRisks");
        var model = page.GetProperty("model");
        Assert.True(model.GetProperty("simulated").GetBoolean());
        Assert.True(model.GetProperty("auc").GetDouble() > model.GetProperty("baselineAuc").GetDouble());
        var items = page.Nodes().ToList();
        Assert.Contains(items, i => i.GetProperty("ageBand").GetString() == "20-24" && i.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "CRETON"));
        var transition = items.Where(i => i.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "TRANSITION_AGE")).ToList();
        Assert.Contains(transition, i => i.GetProperty("ageBand").GetString() == "18-19" && i.GetProperty("situation").GetString() == "IN_CHILDREN_ESMS");
        foreach (var item in items)
        {
            Assert.InRange(item.GetProperty("probability").GetDouble(), 0, 1);
            Assert.All(item.GetProperty("topFactors").EnumerateArray(), f => Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("text").GetString())));
        }
        var probabilities = items.Select(i => i.GetProperty("probability").GetDouble()).ToList();
        Assert.Equal(probabilities.OrderByDescending(p => p), probabilities);

        var high = await api.PostAsync(RisksQuery, new { m = 0.999999 }, token: api.Token(Role.Observatory));
        Assert.All(high.Data.GetProperty("ruptureRisks").Nodes(), i => Assert.True(i.GetProperty("probability").GetDouble() >= 0.999999));
        Assert.DoesNotContain(ids[0], r.Body);
    }

    [Fact]
    public async Task Pages_follow_each_other_without_overlap()
    {
        await SetUpAsync();
        const string query = """query($a: String) { ruptureRisks(department: "61", first: 7, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { pseudonym } } } }""";
        var seen = new List<string>();
        string? after = null;
        int total;
        do
        {
            var page = (await api.PostAsync(query, new { a = after }, token: api.Token(Role.Observatory))).Data.GetProperty("ruptureRisks");
            total = page.GetProperty("totalCount").GetInt32();
            seen.AddRange(page.Nodes().Select(i => i.GetProperty("pseudonym").GetString()!));
            after = page.NextAfter();
        } while (after is not null && seen.Count < 5_000);
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Indicators_count_flags_waiting_times_and_carry_the_model_provenance()
    {
        await SetUpAsync();
        var r = await api.PostAsync(IndicatorsQuery, token: api.Token(Role.Observatory));
        Assert.False(r.HasErrors, r.Body);
        var indicators = r.Data.GetProperty("indicators");
        Assert.True(indicators.GetProperty("creton").GetInt32() >= 1);
        Assert.True(indicators.GetProperty("transitionAge").GetInt32() >= 1);
        Assert.True(indicators.GetProperty("distinctPersonsWaiting").GetInt32() <= indicators.GetProperty("listEntries").GetInt32());
        Assert.Contains(indicators.GetProperty("waitingTimes").EnumerateArray(),
            g => g.GetProperty("kind").GetString() == "MAS" && g.GetProperty("territory").ValueKind == JsonValueKind.Null && g.GetProperty("medianDays").GetInt32() > 0);
        Assert.True(indicators.GetProperty("model").GetProperty("simulated").GetBoolean());
    }

    [Fact]
    public async Task Indicators_give_waiting_quartiles_by_kind_and_admissions_for_each_of_the_last_12_months()
    {
        await SetUpAsync();
        var r = await api.PostAsync("""
            { indicators(department: "61") { date waitingTimes { kind territory persons q1Days medianDays q3Days p90Days } admissionsByMonth { month count } } }
            """, token: api.Token(Role.Observatory));
        Assert.False(r.HasErrors, r.Body);
        var indicators = r.Data.GetProperty("indicators");
        var mas = indicators.GetProperty("waitingTimes").EnumerateArray()
            .Single(g => g.GetProperty("kind").GetString() == "MAS" && g.GetProperty("territory").ValueKind == JsonValueKind.Null);
        int Days(string name) => mas.GetProperty(name).GetInt32();
        Assert.True(Days("q1Days") <= Days("medianDays") && Days("medianDays") <= Days("q3Days") && Days("q3Days") <= Days("p90Days"), mas.ToString());
        Assert.True(Days("q1Days") > 0);
        var months = indicators.GetProperty("admissionsByMonth").EnumerateArray().Select(m => m.GetProperty("month").GetString()).ToList();
        Assert.Equal(12, months.Count);
        Assert.Equal(indicators.GetProperty("date").GetString()![..7], months[^1]);
        Assert.Equal(months.Order(StringComparer.Ordinal), months);
    }

    [Fact]
    public async Task The_indicator_history_gives_the_daily_snapshot_the_pass_stored_and_refuses_a_bad_count_of_days_in_french()
    {
        await SetUpAsync();
        using (Listes360.Grains.Security.CallerContext.As(Caller.ServiceItself))
            await api.App.Services.GetRequiredService<IGrainFactory>().GetGrain<Listes360.Grains.Department.IIndicatorSnapshotGrain>("61").TakeAsync();
        var indicators = (await Admin("""{ indicators(department: "61") { date distinctPersonsWaiting listEntries } }""")).GetProperty("indicators");

        var r = await api.PostAsync("""
            { indicatorHistory(department: "61") { date takenAt total { distinctPersonsWaiting listEntries withoutSolution } creton transitionAge admissionsInMonth admissions365
              byKind { kind counts { distinctPersonsWaiting listEntries } waiting { persons q1Days medianDays q3Days p90Days } } } }
            """, token: api.Token(Role.Observatory));
        Assert.False(r.HasErrors, r.Body);
        var last = r.Data.GetProperty("indicatorHistory").EnumerateArray().Last();
        Assert.Equal(indicators.GetProperty("date").GetString(), last.GetProperty("date").GetString());
        // Persons created by other tests since the snapshot may add to today's counts, never remove.
        Assert.InRange(last.GetProperty("total").GetProperty("distinctPersonsWaiting").GetInt32(), 1, indicators.GetProperty("distinctPersonsWaiting").GetInt32());
        Assert.Contains(last.GetProperty("byKind").EnumerateArray(), k => k.GetProperty("kind").GetString() == "MAS" && k.GetProperty("waiting").GetProperty("medianDays").GetInt32() > 0);
        Assert.True(last.GetProperty("creton").GetInt32() >= 1);

        var bad = await api.PostAsync("""{ indicatorHistory(department: "61", days: 401) { date } }""", token: api.Token(Role.Observatory));
        Assert.True(bad.HasErrors);
        Assert.Contains("entre 1 et 400", bad.Body);
    }

    [Fact]
    public async Task No_observatory_answer_contains_a_name_a_birth_date_an_mdph_number_or_a_nir_hash()
    {
        var (ids, secrets) = await SetUpAsync();
        var observatory = api.Token(Role.Observatory);
        List<string> bodies =
        [
            .. await AllRiskPagesAsync(observatory),
            (await api.PostAsync(IndicatorsQuery, token: observatory)).Body,
            (await api.PostAsync("""{ indicatorHistory(department: "61", days: 400) { date total { distinctPersonsWaiting } byKind { kind } byTerritory { territory } } }""", token: observatory)).Body,
            (await api.PostAsync("""{ departmentCounts(department: "61") { total { distinctPersonsWaiting listEntries } byKind { kind } byTerritory { territory } } }""", token: observatory)).Body,
            (await api.PostAsync("""{ esmsList(department: "61", first: 200) { edges { node { finess name category kind territory commune } } } }""", token: observatory)).Body,
            await CsvAsync("/exports/rupture-risks.csv?department=61", observatory),
            await CsvAsync("/exports/indicators.csv?department=61", observatory),
        ];
        foreach (var body in bodies)
        {
            foreach (var secret in secrets)
                Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
            foreach (var id in ids)
                Assert.DoesNotContain(id, body);
            Assert.DoesNotMatch(Hex64(), body);
            // Ages only as bands: the adult is 46 and her carer 78, neither may be stated (« Âge : 46 ans »).
            Assert.DoesNotMatch(ExactAge(), body);
        }
        Assert.Contains(bodies, b => b.Contains("\"pseudonym\":\"P-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_csv_exports_carry_the_same_answers_and_the_model_provenance()
    {
        await SetUpAsync();
        var token = api.Token(Role.Observatory);
        var csv = await CsvAsync("/exports/rupture-risks.csv?department=61&flags=CRETON", token);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("pseudonyme;periode_pseudonyme;tranche_age;territoire;types_accompagnement;situation;indicateurs;probabilite", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.Contains(";CRETON;", l));
        Assert.All(lines.Skip(1), l => Assert.EndsWith(";oui;" + l.Split(';')[^1], l));
        var graphql = (await api.PostAsync(RisksQuery, new { f = new[] { "CRETON" } }, token: token)).Data.GetProperty("ruptureRisks");
        Assert.Equal(graphql.GetProperty("totalCount").GetInt32(), lines.Length - 1);
        Assert.Contains(graphql.GetProperty("model").GetProperty("modelId").GetString()!, lines[1]);

        var indicators = await CsvAsync("/exports/indicators.csv?department=61&date=2026-06-30", token);
        Assert.Contains("61;2026-06-30;personnes_distinctes_en_attente;", indicators);
        Assert.Contains(";creton;", indicators);
    }

    [Theory]
    [InlineData(Role.EsmsDirector, 403)]
    [InlineData(Role.TerritorialStaff, 200)]
    [InlineData(Role.MdphReferent, 200)]
    [InlineData(Role.Admin, 200)]
    public async Task The_csv_exports_follow_the_same_roles(Role role, int status)
    {
        foreach (var path in new[] { "/exports/rupture-risks.csv?department=61", "/exports/indicators.csv?department=61" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            var response = await api.SendAsync(request, token: api.Token(role));
            Assert.True(status == response.Status, $"{path} pour {role} : {response.Status} {response.Body}");
        }
        var anonymous = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/rupture-risks.csv?department=61"), token: "");
        Assert.Equal(401, anonymous.Status);
    }

    [Fact]
    public async Task A_bad_export_parameter_gets_a_precise_message()
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/exports/rupture-risks.csv?department=61&flags=URGENT"), token: api.Token(Role.Observatory));
        Assert.Equal(400, response.Status);
        Assert.Contains("URGENT", response.Body);
    }

    private async Task<List<string>> AllRiskPagesAsync(string token)
    {
        var bodies = new List<string>();
        string? after = null;
        do
        {
            var r = await api.PostAsync(RisksQuery, new { a = after }, token: token);
            Assert.False(r.HasErrors, r.Body);
            bodies.Add(r.Body);
            after = r.Data.GetProperty("ruptureRisks").NextAfter();
        } while (after is not null);
        return bodies;
    }

    private async Task<string> CsvAsync(string path, string token)
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), token: token);
        Assert.True(response.Status == 200, response.Body);
        Assert.Equal("text/csv", response.MediaType);
        return response.Body;
    }

    [GeneratedRegex("[0-9a-f]{64}")]
    private static partial Regex Hex64();

    /// <summary>A number of years that is not the end of a band (« 40-59 ans » is a band, « 49 ans » an age).</summary>
    [GeneratedRegex(@"(?<![-\d])\d{1,3}\s*ans\b")]
    private static partial Regex ExactAge();
}
