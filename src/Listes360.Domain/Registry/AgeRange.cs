namespace Listes360.Domain.Registry;

/// <summary>
/// An age range in completed years: from the <see cref="From"/>-th birthday (included) until the
/// <see cref="Until"/>-th birthday (excluded), <see cref="Until"/> <c>null</c> meaning no upper bound.
/// « de 0 à 20 ans » is <c>new AgeRange(0, 20)</c>: a person is out of it on their 20th birthday,
/// which is when the amendement Creton starts to apply in a children's ESMS.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Registry.AgeRange")]
public readonly record struct AgeRange
{
    [Id(0)] public int From { get; }
    [Id(1)] public int? Until { get; }

    public AgeRange(int from, int? until)
    {
        if (from < 0 || from > 130)
            throw new DomainException("INVALID_AGE_RANGE", $"L'âge minimal doit être compris entre 0 et 130 ans (reçu {from}).", "ageRange");
        if (until is { } u && (u <= from || u > 130))
            throw new DomainException("INVALID_AGE_RANGE", $"L'âge limite ({u} ans) doit être supérieur à l'âge minimal ({from} ans) et au plus 130 ans.", "ageRange");
        From = from;
        Until = until;
    }

    public bool Contains(int ageInYears) => ageInYears >= From && (Until is not { } u || ageInYears < u);

    /// <summary>French label, e.g. « de 0 à 20 ans » or « à partir de 18 ans ».</summary>
    public string Label => Until is { } u ? $"de {From} à {u} ans" : $"à partir de {From} ans";

    public override string ToString() => Label;
}
