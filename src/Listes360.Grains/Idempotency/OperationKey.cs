namespace Listes360.Grains.Idempotency;

/// <summary>
/// The idempotency key of the request being served (the caller-scoped grain key, never the client's
/// raw key), carried to the grains in Orleans' <see cref="RequestContext"/> so that a record can
/// recognise an operation it already applied (<see cref="Domain.Idempotency.AppliedOperations"/>).
/// </summary>
public static class OperationKey
{
    public const string ContextKey = "listes360.idempotency";

    public static string? Current => RequestContext.Get(ContextKey) as string;
}
