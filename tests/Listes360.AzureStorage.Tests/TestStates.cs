namespace Listes360.AzureStorage.Tests;

[GenerateSerializer]
[Alias("Listes360.AzureStorage.Tests.TestState")]
public sealed class TestState
{
    [Id(0)] public string Text { get; set; } = "";
    [Id(1)] public byte[] Blob { get; set; } = [];
}

[GenerateSerializer]
[Alias("Listes360.AzureStorage.Tests.OtherState")]
public sealed class OtherState
{
    [Id(0)] public int Number { get; set; }
}
