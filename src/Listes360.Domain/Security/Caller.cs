namespace Listes360.Domain.Security;

/// <summary>Who is calling, as the access token says: carried with every grain call.</summary>
/// <param name="National">An administrator whose token carries the explicit national scope (claim
/// <c>scope: national</c>): the only caller not bound to a département. Never set for another role.</param>
[GenerateSerializer, Immutable, Alias("Listes360.Security.Caller")]
public sealed record Caller(
    [property: Id(0)] string Subject,
    [property: Id(1)] Role Role,
    [property: Id(2)] IReadOnlyList<string> Finess,
    [property: Id(3)] string? Department,
    [property: Id(4)] string? Territory,
    [property: Id(5)] bool National = false)
{
    /// <summary>The service acting on its own (demo seed, imports run on the host, daily passes).</summary>
    public static Caller ServiceItself { get; } = new("listes360", Role.System, [], null, null);

    public override string ToString() => $"{Subject} ({Role.French()})";
}
