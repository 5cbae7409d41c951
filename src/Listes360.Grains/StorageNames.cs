namespace Listes360.Grains;

/// <summary>Names of the grain storage providers the grains persist to.</summary>
public static class StorageNames
{
    /// <summary>The département's durable store (Azure Table storage in every deployed silo).</summary>
    public const string Main = "listes360";
}
