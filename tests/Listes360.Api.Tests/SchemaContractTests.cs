using GraphQL;
using GraphQL.Types;
using Listes360.Api.Hosting;
using Listes360.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class SchemaContractTests(ApiFixture api)
{
    [Fact]
    public void Served_schema_equals_the_checked_in_contract()
    {
        var served = api.App.Services.GetRequiredService<ISchema>()
            .Print(new global::GraphQL.Utilities.PrintOptions { IncludeDescriptions = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var contractPath = Path.Combine(RepositoryRoot.Find(), "schema.graphql");
        var contract = File.ReadAllText(contractPath).ReplaceLineEndings("\n");

        Assert.True(served == contract,
            $"Le schéma servi diffère de {contractPath}. Si le changement est voulu, regénérez le contrat avec " +
            $"`./listes360 schema --output schema.graphql` et relisez le diff.\n--- servi ---\n{served}");
    }

    [Fact]
    public void The_schema_command_prints_what_is_served()
    {
        var served = api.App.Services.GetRequiredService<ISchema>()
            .Print(new global::GraphQL.Utilities.PrintOptions { IncludeDescriptions = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";
        Assert.Equal(served, ApiHost.PrintSchema());
    }
}
