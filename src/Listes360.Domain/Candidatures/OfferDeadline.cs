namespace Listes360.Domain.Candidatures;

/// <summary>
/// The day by which a person answers an offer of a place (the criteria grid gives the number of days).
/// Past it the offer is flagged in the ranking and the worklist; nobody is declined automatically.
/// </summary>
public static class OfferDeadline
{
    public static DateOnly Of(DateOnly offeredOn, int answerDeadlineDays) => offeredOn.AddDays(answerDeadlineDays);

    /// <summary>The deadline day itself is still in time.</summary>
    public static bool IsOverdue(DateOnly offeredOn, int answerDeadlineDays, DateOnly today) => today > Of(offeredOn, answerDeadlineDays);
}
