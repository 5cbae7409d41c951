using System.Security.Cryptography;
using Listes360.Domain.ReferenceData;

namespace Listes360.Domain.Tests.Registry;

/// <summary>The embedded copies are the files recorded in data/*/PROVENANCE.md (no read outside the assembly).</summary>
public class EmbeddedDataTests
{
    private static string Sha256(string resource)
    {
        using var stream = typeof(EmbeddedCsv).Assembly.GetManifestResourceStream(resource)!;
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [Theory]
    [InlineData(EmbeddedCsv.FinessOrne, "13b0840d29cbf59ad78afb78da80a776e91908263b9e6fb078b326747344a863")]
    [InlineData(EmbeddedCsv.FinessCategories, "f795ee07bd3b65a80f5a3a1fa1d9b956c0c4512d968dfa62224b5700923a188a")]
    [InlineData("Listes360.Data.territories.territories-61.csv", "863e842ea5ae15d5379607a8c11fe67a9c451120baf918ba0a292267442efa52")]
    [InlineData("Listes360.Data.territories.communes-61.csv", "fb7204ec30b4dba96f4eaacb1bcb8735bb743a600f3eb8104c294e0ef24c843e")]
    public void Embedded_files_match_their_provenance(string resource, string sha256) => Assert.Equal(sha256, Sha256(resource));

    [Fact]
    public void Csv_reader_handles_quotes_and_refuses_ragged_rows()
    {
        var rows = EmbeddedCsv.Parse("a;b\n\"x;\"\"y\"\"\";2\r\n", "test");
        Assert.Equal("x;\"y\"", Assert.Single(rows)["a"]);
        Assert.Equal("REFERENCE_DATA_INVALID", Assert.Throws<DomainException>(() => EmbeddedCsv.Parse("a;b\n1\n", "test")).Code);
        Assert.Equal("REFERENCE_DATA_INVALID", Assert.Throws<DomainException>(() => rows[0]["c"]).Code);
    }
}
