namespace Listes360.Domain.Candidatures;

/// <summary>
/// The date of a request for a place: a fact that already happened, so neither after today (the
/// Europe/Paris date) nor before 1900.
/// </summary>
public static class RequestDates
{
    public const string InvalidRequestDate = "INVALID_REQUEST_DATE";

    /// <summary>Why <paramref name="requestDate"/> is refused (a French clause, lower-case start, no final stop, as a list row's problem), or <c>null</c>.</summary>
    public static string? Problem(DateOnly requestDate, DateOnly today) =>
        requestDate > today ? $"la date de la demande ({requestDate:dd/MM/yyyy}) est postérieure à aujourd'hui ({today:dd/MM/yyyy})"
        : requestDate < Validation.FieldLimits.EarliestDate ? $"la date de la demande ({requestDate:dd/MM/yyyy}) est antérieure au 01/01/1900 : vérifiez la saisie"
        : null;

    /// <summary><paramref name="requestDate"/>, or an <c>INVALID_REQUEST_DATE</c> error on <c>requestDate</c>.</summary>
    public static DateOnly Require(DateOnly requestDate, DateOnly today) =>
        Problem(requestDate, today) is { } problem
            ? throw new DomainException(InvalidRequestDate, $"L{problem[1..]}.", "requestDate")
            : requestDate;
}
