using Azure.Data.Tables;

namespace Listes360.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class EsmsTests(ApiFixture api)
{
    private const string Register = """
        mutation R($input: RegisterEsmsInput!) { registerEsms(input: $input) { esms { finess name category version } } }
        """;
    private const string SetPlaces = """
        mutation P($input: SetEsmsPlacesInput!) {
          setEsmsPlaces(input: $input) { esms { finess places { modality capacity occupied vacancies effectiveDate } placesHistory { modality before { capacity } after { capacity } changedBy } version } }
        }
        """;
    private const string Read = """
        query E($finess: String!) { esms(finess: $finess) { finess name places { modality capacity occupied vacancies } placesHistory { modality } version } }
        """;

    [Fact]
    public async Task Places_are_declared_read_back_and_kept_in_history()
    {
        await api.PostAsync(Register, new { input = new { finess = "610000010", name = "IME Les Tilleuls", category = "183" } });

        await api.PostAsync(SetPlaces, new { input = new { finess = "610000010", modality = "RESIDENTIAL", capacity = 24, occupied = 20, effectiveDate = "2026-11-01" } });
        var changed = await api.PostAsync(SetPlaces, new { input = new { finess = "610000010", modality = "RESIDENTIAL", capacity = 24, occupied = 22 } });

        Assert.False(changed.HasErrors, changed.Body);
        var read = await api.PostAsync(Read, new { finess = "610000010" });
        var esms = read.Data.GetProperty("esms");
        var internat = esms.GetProperty("places")[0];
        Assert.Equal("RESIDENTIAL", internat.GetProperty("modality").GetString());
        Assert.Equal(22, internat.GetProperty("occupied").GetInt32());
        Assert.Equal(2, internat.GetProperty("vacancies").GetInt32());
        Assert.Equal(2, esms.GetProperty("placesHistory").GetArrayLength());
        Assert.Equal(3, esms.GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("61000001", "9 caractères")]
    [InlineData("6100000X1", "chiffres")]
    [InlineData("000000001", "département")]
    public async Task An_invalid_finess_gets_a_coded_french_error_and_stores_nothing(string finess, string expectedWords)
    {
        var before = await CountEntitiesAsync();

        var response = await api.PostAsync(Register, new { input = new { finess, name = "Foyer X", category = "382" } });

        Assert.Equal("INVALID_FINESS", response.FirstErrorCode);
        Assert.Contains(expectedWords, response.FirstError.GetProperty("message").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.Data.ValueKind);
        Assert.Equal(before, await CountEntitiesAsync());
    }

    [Fact]
    public async Task Corsican_finess_numbers_are_accepted()
    {
        // As the Corse-du-Sud's administrator: an admin registers ESMS of its own département only.
        var corseDuSud = Listes360.Api.Security.DevTokens.Mint(api.Auth, "admin-2A", Listes360.Domain.Security.Role.Admin, [], "2A", null, TimeSpan.FromMinutes(30));
        var response = await api.PostAsync(Register, new { input = new { finess = "2A0000014", name = "SESSAD d'Ajaccio", category = "182" } }, token: corseDuSud);

        Assert.False(response.HasErrors, response.Body);
        Assert.Equal("2A0000014", response.Data.GetProperty("registerEsms").GetProperty("esms").GetProperty("finess").GetString());
    }

    [Fact]
    public async Task Occupied_beyond_capacity_is_refused_and_places_stay()
    {
        await api.PostAsync(Register, new { input = new { finess = "610000093", name = "MAS du Bocage", category = "255" } });
        await api.PostAsync(SetPlaces, new { input = new { finess = "610000093", modality = "RESIDENTIAL", capacity = 40, occupied = 38 } });

        var refused = await api.PostAsync(SetPlaces, new { input = new { finess = "610000093", modality = "RESIDENTIAL", capacity = 40, occupied = 41 } });

        Assert.Equal("INVALID_PLACES", refused.FirstErrorCode);
        Assert.Contains("dépassent la capacité", refused.FirstError.GetProperty("message").GetString());
        var read = await api.PostAsync(Read, new { finess = "610000093" });
        Assert.Equal(38, read.Data.GetProperty("esms").GetProperty("places")[0].GetProperty("occupied").GetInt32());
        Assert.Equal(2, read.Data.GetProperty("esms").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Places_of_an_unregistered_esms_are_refused()
    {
        var response = await api.PostAsync(SetPlaces, new { input = new { finess = "610000176", modality = "NON_RESIDENTIAL", capacity = 5, occupied = 0 } });

        Assert.Equal("UNKNOWN_ESMS", response.FirstErrorCode);
        var read = await api.PostAsync(Read, new { finess = "610000176" });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.Data.GetProperty("esms").ValueKind);
    }

    [Fact]
    public async Task Changed_places_survive_a_restart_of_the_silo_and_the_api()
    {
        await api.PostAsync(Register, new { input = new { finess = "610000119", name = "Foyer de vie La Source", category = "382" } });
        var set = await api.PostAsync(SetPlaces, new { input = new { finess = "610000119", modality = "SEMI_RESIDENTIAL", capacity = 12, occupied = 7 } });
        Assert.False(set.HasErrors, set.Body);

        await api.RestartAsync();

        var read = await api.PostAsync(Read, new { finess = "610000119" });
        var places = read.Data.GetProperty("esms").GetProperty("places")[0];
        Assert.Equal("SEMI_RESIDENTIAL", places.GetProperty("modality").GetString());
        Assert.Equal(12, places.GetProperty("capacity").GetInt32());
        Assert.Equal(7, places.GetProperty("occupied").GetInt32());
    }

    private async Task<int> CountEntitiesAsync()
    {
        var table = new TableClient(api.Azurite.ConnectionString, api.TableName);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
            count++;
        return count;
    }
}
