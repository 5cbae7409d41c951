using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Listes360.Api.Hosting;
using Listes360.Api.Security;
using Listes360.Api.Tests;
using Listes360.Domain.Persons;
using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.AzureStorage.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Listes360.Domain.Time;

namespace Listes360.Security.Tests;

/// <summary>
/// Issue 12, class 7: the observatory's pseudonym is keyed (HMAC under the département's secret,
/// derived from Nir:Secret here), changes each calendar quarter, is refused without a secret, and no
/// observatory answer or CSV states an exact age.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class Class7ObservatoryPseudonymTests(ApiFixture api)
{
    private const string Risks = """
        query($a: String) { ruptureRisks(department: "61", first: 50, after: $a) { totalCount pageInfo { hasNextPage endCursor } pseudonymPeriod
          edges { node { pseudonym ageBand territory kinds situation flags probability computedOn topFactors { code text contribution } } }
          model { modelId trainingData simulated trainedOn label } } }
        """;

    private static PseudonymPeriod Today => PseudonymPeriod.Of(ParisDate.Today(TimeProvider.System));

    private async Task<List<JsonElement>> AllPagesAsync(string token)
    {
        var pages = new List<JsonElement>();
        string? after = null;
        do
        {
            var r = await api.PostAsync(Risks, new { a = after }, token: token);
            Assert.False(r.HasErrors, r.Body);
            var page = r.Data.GetProperty("ruptureRisks").Clone();
            pages.Add(page);
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        } while (after is not null);
        return pages;
    }

    [Fact]
    public async Task The_pseudonym_is_keyed_by_the_departments_secret_and_changes_with_the_quarter()
    {
        var person = PersonId.Parse(await ObservatorySeed.WaitingPersonAsync(api, "Pseudonymée", "1977-05-14", 81));
        var pages = await AllPagesAsync(api.Token(Role.Observatory));
        Assert.All(pages, p => Assert.Equal(Today.Code, p.GetProperty("pseudonymPeriod").GetString()));
        var served = pages.SelectMany(p => p.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))).Select(i => i.GetProperty("pseudonym").GetString()!).ToHashSet();

        // Computable with the département's key only: the former unkeyed hash of the id, and the same
        // with the period, are not served; the key derived from the NIR secret gives the served value.
        var unkeyed = "P-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("listes360/observatoire/" + person.Value)))[..16];
        var unkeyedWithPeriod = "P-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Today.Code}/{person.Value}")))[..16];
        Assert.DoesNotContain(unkeyed, served);
        Assert.DoesNotContain(unkeyedWithPeriod, served);
        var keys = ObservatoryPseudonyms.DerivedFrom(Convert.FromBase64String(api.NirSecret));
        Assert.Contains(keys.Of(person, Today), served);
        Assert.DoesNotContain(new ObservatoryPseudonyms(RandomNumberGenerator.GetBytes(32)).Of(person, Today), served);
        Assert.DoesNotContain(new ObservatoryPseudonyms(Convert.FromBase64String(api.NirSecret)).Of(person, Today), served);

        // Next quarter, previous quarter: another pseudonym for the same person.
        var next = PseudonymPeriod.Of(new DateOnly(Today.Year, (Today.Quarter - 1) * 3 + 1, 1).AddMonths(3));
        var previous = PseudonymPeriod.Of(new DateOnly(Today.Year, (Today.Quarter - 1) * 3 + 1, 1).AddMonths(-3));
        Assert.DoesNotContain(keys.Of(person, next), served);
        Assert.DoesNotContain(keys.Of(person, previous), served);

        // The export names the same pseudonym and its quarter.
        var csv = await CsvAsync("/exports/rupture-risks.csv?department=61");
        Assert.Contains($"{keys.Of(person, Today)};{Today.Code};", csv);
    }

    [Fact]
    public async Task A_cursor_of_another_quarter_is_refused_and_changes_nothing()
    {
        await ObservatorySeed.WaitingPersonAsync(api, "Curseur", "1979-02-02", 70);
        var before = await StorageSnapshot.TakeAsync(api);
        var stale = Convert.ToBase64String(Encoding.UTF8.GetBytes("2020-T1/0000000|P-0000000000000000"));
        var r = await api.PostAsync(Risks, new { a = stale }, token: api.Token(Role.Observatory));
        Assert.Equal("INVALID_CURSOR", r.FirstErrorCode);
        Assert.Contains("2020-T1", r.FirstError.GetProperty("message").GetString());
        Assert.Empty((await StorageSnapshot.TakeAsync(api)).ChangesSince(before));
    }

    [Fact]
    public async Task No_observatory_answer_or_csv_states_an_exact_age()
    {
        // Ages 49 and 37 (and carers of 81 and 66) that must only come out as bands.
        await ObservatorySeed.WaitingPersonAsync(api, "Âgée", "1977-01-03", 81);
        await ObservatorySeed.WaitingPersonAsync(api, "Cadette", "1989-01-03", 66);
        var token = api.Token(Role.Observatory);
        var strings = new List<string>();
        foreach (var page in await AllPagesAsync(token))
            strings.AddRange(Probe.StringValues(page));
        const string query = """
            { indicators(department: "61") { department date distinctPersonsWaiting listEntries creton transitionAge
              waitingTimes { kind territory persons medianDays p90Days } outcomes { status reason ansStatus ansReason count } model { modelId label trainingData } } }
            """;
        var indicators = await api.PostAsync(query, token: token);
        Assert.False(indicators.HasErrors, indicators.Body);
        strings.AddRange(Probe.StringValues(indicators.Data));
        foreach (var path in new[] { "/exports/rupture-risks.csv?department=61", "/exports/indicators.csv?department=61" })
            strings.AddRange((await CsvAsync(path)).Split("\r\n").SelectMany(l => l.Split(';')));

        Assert.NotEmpty(strings);
        Assert.All(strings, s => Assert.DoesNotMatch(Probe.ExactAge(), s));
        Assert.Contains(strings, s => s is "40-59" or "25-39");
    }

    [Fact]
    public async Task Without_a_secret_the_list_is_refused_in_french()
    {
        // A service of its own, on its own table, with no Nir:Secret nor Observatory:PseudonymSecret.
        var settings = new Dictionary<string, string?>
        {
            [$"{StorageSettings.Section}:ConnectionString"] = api.Azurite.ConnectionString,
            [$"{StorageSettings.Section}:TableName"] = "NoSecret" + Guid.NewGuid().ToString("N")[..8],
            [$"{ClusterSettings.Section}:SiloPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{ClusterSettings.Section}:GatewayPort"] = AzuriteServer.FreeLoopbackPort().ToString(),
            [$"{AuthSettings.Section}:SigningKey"] = api.Auth.SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Maintenance:Enabled"] = "false",
        };
        await using var app = ApiHost.Build([], settings, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        try
        {
            using var client = app.GetTestClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { query = """{ ruptureRisks(department: "61") { totalCount edges { node { pseudonym } } } }""" }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", api.Token(Role.Observatory));
            using var response = await client.SendAsync(request);
            var body = new GraphQLResponse((int)response.StatusCode, null, await response.Content.ReadAsStringAsync());
            Assert.Equal("PSEUDONYM_SECRET_MISSING", body.FirstErrorCode);
            Assert.Contains("aucun secret de pseudonymisation", body.FirstError.GetProperty("message").GetString());

            using var export = new HttpRequestMessage(HttpMethod.Get, "/exports/rupture-risks.csv?department=61");
            export.Headers.Authorization = new("Bearer", api.Token(Role.Observatory));
            using var exported = await client.SendAsync(export);
            Assert.Equal(503, (int)exported.StatusCode);
            Assert.Contains("PSEUDONYM_SECRET_MISSING", await exported.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private async Task<string> CsvAsync(string path)
    {
        var response = await api.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), token: api.Token(Role.Observatory));
        Assert.True(response.Status == 200, response.Body);
        return response.Body;
    }

}
