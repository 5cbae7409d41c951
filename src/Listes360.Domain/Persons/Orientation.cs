using System.Collections.Immutable;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Persons;

/// <summary>
/// A CDAPH orientation decision (issued by the MDPH): the kind of ESMS the person may enter, between two
/// dates (both included), optionally restricted to some modalities (empty: any).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.Orientation")]
public sealed record Orientation
{
    /// <summary>The MDPH decision reference (numéro de décision).</summary>
    [Id(0)] public required string DecisionReference { get; init; }
    [Id(1)] public required KindOfSupport Kind { get; init; }
    [Id(2)] public required DateOnly ValidFrom { get; init; }
    /// <summary>Last day of validity (included); <c>null</c> for an open-ended decision.</summary>
    [Id(3)] public DateOnly? ValidTo { get; init; }
    [Id(4)] public ImmutableArray<Modality> Modalities { get; init; } = [];

    /// <summary>
    /// A checked decision. With <paramref name="today"/>, both dates must lie between 1900 and 20 years
    /// ahead: a decision may start later (it is in force only from then), never in the year 9999.
    /// </summary>
    public static Orientation Create(string decisionReference, KindOfSupport kind, DateOnly validFrom, DateOnly? validTo,
        IEnumerable<Modality>? modalities = null, DateOnly? today = null)
    {
        var reference = FieldRules.RequiredLine(decisionReference, "decisionReference", "la référence de la décision d'orientation",
            FieldLimits.DecisionReferenceMaxLength, "INVALID_ORIENTATION");
        _ = kind.Info();
        if (today is { } t)
        {
            FieldRules.ScheduledDate(validFrom, t, "validFrom", "la date de début de l'orientation");
            if (validTo is { } end)
                FieldRules.ScheduledDate(end, t, "validTo", "la date de fin de l'orientation");
        }
        if (validTo is { } to && to < validFrom)
            throw new DomainException("INVALID_ORIENTATION",
                $"La fin de validité de l'orientation ({to:dd/MM/yyyy}) précède son début ({validFrom:dd/MM/yyyy}).", "validTo");
        return new Orientation
        {
            DecisionReference = reference,
            Kind = kind,
            ValidFrom = validFrom,
            ValidTo = validTo,
            Modalities = (modalities ?? []).Distinct().Order().ToImmutableArray(),
        };
    }

    /// <summary>Whether the decision is in force on <paramref name="date"/> (both ends included).</summary>
    public bool IsValidOn(DateOnly date) => date >= ValidFrom && (ValidTo is not { } to || date <= to);

    /// <summary>Whether it allows <paramref name="modality"/> (no restriction means any).</summary>
    public bool Allows(Modality modality) => Modalities.IsDefaultOrEmpty || Modalities.Contains(modality);
}
