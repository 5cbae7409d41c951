namespace Listes360.Storage.AzureTables.Tests;

[GenerateSerializer]
[Alias("Listes360.Storage.AzureTables.Tests.TestState")]
public sealed class TestState
{
    [Id(0)] public string Text { get; set; } = "";
    [Id(1)] public byte[] Blob { get; set; } = [];
}

[GenerateSerializer]
[Alias("Listes360.Storage.AzureTables.Tests.OtherState")]
public sealed class OtherState
{
    [Id(0)] public int Number { get; set; }
}
