namespace Listes360.Grains.Security;

/// <summary>
/// The result of an audited read that says itself what was read (the persons of a batched read): the
/// authorization filter writes <see cref="AuditDetail"/> into the read's one audit entry.
/// </summary>
public interface IAuditedRead
{
    string AuditDetail { get; }
}
