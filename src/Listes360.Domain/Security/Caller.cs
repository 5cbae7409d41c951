namespace Listes360.Domain.Security;

/// <summary>Who is calling, as the access token says: carried with every grain call.</summary>
[GenerateSerializer, Immutable]
public sealed record Caller(
    [property: Id(0)] string Subject,
    [property: Id(1)] Role Role,
    [property: Id(2)] IReadOnlyList<string> Finess,
    [property: Id(3)] string? Department,
    [property: Id(4)] string? Territory)
{
    /// <summary>The service acting on its own (demo seed, imports run on the host, daily passes).</summary>
    public static Caller ServiceItself { get; } = new("listes360", Role.System, [], null, null);

    public override string ToString() => $"{Subject} ({Role.French()})";
}
