namespace Listes360.Domain;

/// <summary>
/// A rule of the domain refused an input. <see cref="Code"/> is a stable machine code (it becomes
/// <c>extensions.code</c> in GraphQL); <see cref="Exception.Message"/> is French, for the user.
/// </summary>
[GenerateSerializer, Alias("Listes360.Common.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException(string code, string message, string? field = null) : base(message)
    {
        Code = code;
        Field = field;
    }

    /// <summary>Stable error code, e.g. <c>INVALID_FINESS</c>.</summary>
    [Id(0)] public string Code { get; }

    /// <summary>The input field at fault, when there is one.</summary>
    [Id(1)] public string? Field { get; }
}
