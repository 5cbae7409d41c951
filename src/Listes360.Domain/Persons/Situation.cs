using Listes360.Domain.Registry;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Persons;

/// <summary>Where a person is now. Numeric values are persisted: never renumber.</summary>
public enum SituationKind
{
    AtHomeWithoutSolution = 1,
    InChildrenEsms = 2,
    /// <summary>20 or over, kept in a children's ESMS for lack of an adult place.</summary>
    InChildrenEsmsUnderCreton = 3,
    InAdultEsms = 4,
    InHospital = 5,
    InBelgium = 6,
    OutOfDepartment = 7,
    SchoolWithPartialSupport = 8,
    WorkWithPartialSupport = 9,
    /// <summary>Supported by the child welfare (ASE), foster family or children's home.</summary>
    ChildWelfare = 10,
    /// <summary>In an EHPAD or other elderly-care setting (often too early).</summary>
    InElderlyCare = 11,
    /// <summary>Only temporary stays (accueil temporaire) in turn.</summary>
    TemporaryStaysOnly = 12,
    Other = 99,
}

/// <summary>How far the current situation answers the person's need (for the "without solution" count).</summary>
public enum SolutionLevel
{
    /// <summary>No solution: the person is counted as waiting without solution.</summary>
    None = 1,
    /// <summary>A solution by default or partial (Creton, hospital, Belgium, partial support…).</summary>
    Inadequate = 2,
    /// <summary>A suitable solution; the person may still wait for another one.</summary>
    Adequate = 3,
}

/// <summary>The person's situation since a date; <see cref="Esms"/> when in an ESMS.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.Situation")]
public sealed record Situation
{
    [Id(0)] public required SituationKind Kind { get; init; }
    [Id(1)] public required DateOnly Since { get; init; }
    [Id(2)] public FinessNumber? Esms { get; init; }
    /// <summary>Free text by the conseiller (no identifying data expected).</summary>
    [Id(3)] public string? Note { get; init; }

    public SolutionLevel SolutionLevel => Kind.SolutionLevel();

    /// <summary>
    /// A checked situation: a known kind, a start between 1900 and <paramref name="today"/> (a situation
    /// is observed, not scheduled), a well-formed FINESS number, a note of at most 2,000 characters.
    /// </summary>
    public static Situation Create(SituationKind kind, DateOnly since, string? esms, string? note, DateOnly today)
    {
        _ = kind.SolutionLevel();
        return new Situation
        {
            Kind = kind,
            Since = FieldRules.PastDate(since, today, "since", "la date de début de la situation"),
            Esms = string.IsNullOrWhiteSpace(esms) ? null : FinessNumber.Parse(esms),
            Note = FieldRules.OptionalText(note, "note", "la précision sur la situation", FieldLimits.NoteMaxLength),
        };
    }
}

public static class Situations
{
    public static string Label(this SituationKind kind) => kind switch
    {
        SituationKind.AtHomeWithoutSolution => "À domicile sans solution",
        SituationKind.InChildrenEsms => "Accueilli·e dans un ESMS pour enfants",
        SituationKind.InChildrenEsmsUnderCreton => "Maintenu·e en ESMS pour enfants au titre de l'amendement Creton",
        SituationKind.InAdultEsms => "Accueilli·e dans un ESMS pour adultes",
        SituationKind.InHospital => "Hospitalisé·e (dont hospitalisation au long cours)",
        SituationKind.InBelgium => "Accueilli·e en Belgique",
        SituationKind.OutOfDepartment => "Accueilli·e hors du département",
        SituationKind.SchoolWithPartialSupport => "Scolarisé·e avec un accompagnement partiel",
        SituationKind.WorkWithPartialSupport => "En emploi avec un accompagnement partiel",
        SituationKind.ChildWelfare => "Accompagné·e par l'aide sociale à l'enfance",
        SituationKind.InElderlyCare => "Accueilli·e en établissement pour personnes âgées",
        SituationKind.TemporaryStaysOnly => "Accueils temporaires successifs uniquement",
        SituationKind.Other => "Autre situation",
        _ => throw new DomainException("UNKNOWN_SITUATION", $"Situation inconnue ({(int)kind}).", "situation"),
    };

    /// <summary>
    /// The solution level of a situation. Choices: hospital, Belgium, Creton, elderly care, child
    /// welfare, successive temporary stays and "other" are inadequate solutions (counted apart from
    /// "without solution" but flagged); partial school / work support too; an ESMS in or out of the
    /// département is adequate.
    /// </summary>
    public static SolutionLevel SolutionLevel(this SituationKind kind) => kind switch
    {
        SituationKind.AtHomeWithoutSolution => Persons.SolutionLevel.None,
        SituationKind.InChildrenEsms or SituationKind.InAdultEsms or SituationKind.OutOfDepartment => Persons.SolutionLevel.Adequate,
        SituationKind.InChildrenEsmsUnderCreton or SituationKind.InHospital or SituationKind.InBelgium
            or SituationKind.SchoolWithPartialSupport or SituationKind.WorkWithPartialSupport or SituationKind.ChildWelfare
            or SituationKind.InElderlyCare or SituationKind.TemporaryStaysOnly or SituationKind.Other => Persons.SolutionLevel.Inadequate,
        _ => throw new DomainException("UNKNOWN_SITUATION", $"Situation inconnue ({(int)kind}).", "situation"),
    };
}

public enum CarerRelationship
{
    Parent = 1,
    Spouse = 2,
    Sibling = 3,
    Child = 4,
    OtherFamily = 5,
    Other = 9,
}

public enum CarerStatus
{
    Available = 1,
    /// <summary>Épuisement de l'aidant, as assessed by a professional.</summary>
    Exhausted = 2,
    Ill = 3,
    /// <summary>The carer can no longer care (hospitalised, moved, deceased).</summary>
    Unavailable = 4,
}

/// <summary>
/// The carer (aidant). Only the birth year is kept (enough for "carer aged 70 or over", less
/// identifying than a date); a declared age is converted with <see cref="FromDeclaredAge"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.Carer")]
public sealed record Carer
{
    [Id(0)] public required CarerRelationship Relationship { get; init; }
    [Id(1)] public int? BirthYear { get; init; }
    [Id(2)] public required CarerStatus Status { get; init; }
    [Id(3)] public DateOnly? StatusSince { get; init; }

    /// <summary>A carer whose age was declared on a date: birth year ≈ year − age (±1 year).</summary>
    public static Carer FromDeclaredAge(CarerRelationship relationship, int age, DateOnly declaredOn, CarerStatus status)
    {
        if (age is < 5 or > 120)
            throw new DomainException("INVALID_CARER_AGE", $"L'âge déclaré de l'aidant ({age} ans) doit être compris entre 5 et 120 ans.", "carerAge");
        return new Carer { Relationship = relationship, BirthYear = declaredOn.Year - age, Status = status, StatusSince = declaredOn };
    }

    /// <summary>Approximate age on a date (the age they reach during that year), <c>null</c> when unknown.</summary>
    public int? ApproximateAgeOn(DateOnly date) => BirthYear is { } y ? date.Year - y : null;
}

/// <summary>Who flagged an urgency. Numeric values are persisted: never renumber.</summary>
public enum UrgencySource
{
    /// <summary>A staff territorial of the communauté 360 examined the situation.</summary>
    TerritorialStaff = 1,
    /// <summary>A plan d'accompagnement global (PAG) of the MDPH asks for it.</summary>
    Pag = 2,
}

/// <summary>An urgency on a person's situation, with who flagged it and since when (a short reason, no identifying data).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.UrgencyFlag")]
public sealed record UrgencyFlag
{
    [Id(0)] public required UrgencySource Source { get; init; }
    [Id(1)] public required DateOnly Since { get; init; }
    [Id(2)] public required string Reason { get; init; }
    [Id(3)] public required string FlaggedBy { get; init; }

    /// <summary>A checked flag; with <paramref name="today"/>, its start lies between 1900 and today.</summary>
    public static UrgencyFlag Create(UrgencySource source, DateOnly since, string reason, string by, DateOnly? today = null)
    {
        if (!Enum.IsDefined(source))
            throw new DomainException("INVALID_URGENCY", "L'urgence est signalée par le staff territorial ou par un PAG.", "source");
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("INVALID_URGENCY", "Le motif de l'urgence est obligatoire (ex. « rupture d'accueil, aidant hospitalisé »).", "reason");
        var text = FieldRules.RequiredText(reason, "reason", "le motif de l'urgence", FieldLimits.ReasonMaxLength, "INVALID_URGENCY");
        if (today is { } t)
            FieldRules.PastDate(since, t, "since", "la date de début de l'urgence");
        return new UrgencyFlag { Source = source, Since = since, Reason = text, FlaggedBy = by };
    }

    public string SourceLabel => Source == UrgencySource.Pag ? "un PAG (plan d'accompagnement global)" : "le staff territorial";
}
