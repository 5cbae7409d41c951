namespace Listes360.Domain.Persons;

/// <summary>Age computations on calendar dates.</summary>
public static class Age
{
    /// <summary>
    /// Completed years at <paramref name="on"/>. The N-th birthday of someone born on 29 February is
    /// 28 February in a common year, as <see cref="DateOnly.AddYears"/> gives and as French law counts
    /// a period in years when the anniversary day does not exist (art. 641 du code de procédure civile:
    /// « à défaut d'un quantième identique, le délai expire le dernier jour du mois »).
    /// </summary>
    public static int InYears(DateOnly birthDate, DateOnly on)
    {
        if (on < birthDate)
            throw new DomainException("DATE_BEFORE_BIRTH",
                $"La date du {on:dd/MM/yyyy} précède la date de naissance ({birthDate:dd/MM/yyyy}).", "birthDate");
        var age = on.Year - birthDate.Year;
        if (on < Birthday(birthDate, age)) age--;
        return age;
    }

    /// <summary>The date of the <paramref name="years"/>-th birthday (28 February for 29 February in a common year).</summary>
    public static DateOnly Birthday(DateOnly birthDate, int years) => birthDate.AddYears(years);
}
