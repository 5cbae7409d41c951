using System.Collections.Immutable;
using Listes360.Domain.Geography;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Persons;

public enum Sex
{
    Female = 1,
    Male = 2,
    /// <summary>Not known (an import without it); never inferred from the first name.</summary>
    Unknown = 9,
}

/// <summary>
/// Who a person is. Matching persons (deduplication) works on these fields; the NIR itself is never
/// here, only its keyed <see cref="NirHash"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PersonIdentity")]
public sealed record PersonIdentity
{
    /// <summary>Nom de naissance.</summary>
    [Id(0)] public required string BirthName { get; init; }
    /// <summary>Nom d'usage, when different.</summary>
    [Id(1)] public string? UsageName { get; init; }
    /// <summary>Prénoms, in civil-status order; the first is the usual one.</summary>
    [Id(2)] public required ImmutableArray<string> FirstNames { get; init; }
    [Id(3)] public required DateOnly BirthDate { get; init; }
    [Id(4)] public required Sex Sex { get; init; }
    /// <summary>INSEE code of the commune of residence (5 characters, e.g. <c>61001</c>, <c>2A004</c>).</summary>
    [Id(5)] public string? ResidenceCommune { get; init; }
    /// <summary>The MDPH file number (numéro de dossier MDPH), unique in the département.</summary>
    [Id(6)] public string? MdphFileNumber { get; init; }
    [Id(7)] public NirHash? NirHash { get; init; }

    /// <summary>
    /// Validated construction: names present, within <see cref="FieldLimits"/> and free of control and
    /// bidirectional characters, birth date between 1900 and <paramref name="today"/>, INSEE code well formed.
    /// </summary>
    public static PersonIdentity Create(string birthName, IEnumerable<string> firstNames, DateOnly birthDate, Sex sex, DateOnly today,
        string? usageName = null, string? residenceCommune = null, string? mdphFileNumber = null, NirHash? nirHash = null)
    {
        var birth = FieldRules.RequiredLine(birthName, "birthName", "le nom de naissance", FieldLimits.NameMaxLength, "INVALID_NAME");
        var usage = FieldRules.OptionalLine(usageName, "usageName", "le nom d'usage", FieldLimits.NameMaxLength);
        var given = (firstNames ?? []).ToList();
        FieldRules.AtMost(given.Count, FieldLimits.FirstNamesMaxCount, "firstNames", "les prénoms");
        var names = given.Select((n, i) => FieldRules.OptionalLine(n, "firstNames", $"le prénom n° {i + 1}", FieldLimits.NameMaxLength))
            .OfType<string>().ToImmutableArray();
        var mdph = FieldRules.OptionalLine(mdphFileNumber, "mdphFileNumber", "le numéro de dossier MDPH", FieldLimits.MdphFileNumberMaxLength);
        if (names.IsEmpty)
            throw new DomainException("INVALID_NAME", "Au moins un prénom est obligatoire.", "firstNames");
        if (birthDate > today)
            throw new DomainException("INVALID_BIRTH_DATE", $"La date de naissance ({birthDate:dd/MM/yyyy}) ne peut pas être postérieure à aujourd'hui ({today:dd/MM/yyyy}).", "birthDate");
        if (birthDate < FieldLimits.EarliestDate)
            throw new DomainException("INVALID_BIRTH_DATE", $"La date de naissance ({birthDate:dd/MM/yyyy}) est antérieure au 01/01/1900 : vérifiez la saisie.", "birthDate");
        if (birthDate < today.AddYears(-130))
            throw new DomainException("INVALID_BIRTH_DATE", $"La date de naissance ({birthDate:dd/MM/yyyy}) donnerait plus de 130 ans.", "birthDate");
        if (!Enum.IsDefined(sex))
            throw new DomainException("INVALID_SEX", "Le sexe doit être féminin, masculin ou inconnu.", "sex");
        var commune = string.IsNullOrWhiteSpace(residenceCommune) ? null : residenceCommune.Trim().ToUpperInvariant();
        if (commune is not null && !IsInseeCommuneCode(commune))
            throw new DomainException("INVALID_COMMUNE", $"Le code INSEE de commune « {FieldRules.Shorten(residenceCommune!)} » doit compter 5 caractères (chiffres, 2A ou 2B pour la Corse).", "residenceCommune");
        return new PersonIdentity
        {
            BirthName = birth,
            UsageName = usage,
            FirstNames = names,
            BirthDate = birthDate,
            Sex = sex,
            ResidenceCommune = commune,
            MdphFileNumber = mdph,
            NirHash = nirHash,
        };
    }

    public int AgeOn(DateOnly date) => Age.InYears(BirthDate, date);

    /// <summary>The département of residence (<c>61</c>, <c>2A</c>, <c>974</c>), from the INSEE code.</summary>
    public string? ResidenceDepartment => DepartmentCodes.OfCode(ResidenceCommune);

    private static bool IsInseeCommuneCode(string c) =>
        c.Length == 5 && (c.All(char.IsAsciiDigit) || (c[0] == '2' && c[1] is 'A' or 'B' && c[2..].All(char.IsAsciiDigit)));

    /// <summary>No names in logs: only the birth year and the MDPH file number's presence.</summary>
    public override string ToString() => $"PersonIdentity(né·e en {BirthDate.Year}, dossier MDPH {(MdphFileNumber is null ? "absent" : "présent")})";
}
