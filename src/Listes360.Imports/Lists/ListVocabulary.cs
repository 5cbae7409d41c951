using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using ModalityKind = Listes360.Domain.Registry.Modality;
using SexKind = Listes360.Domain.Persons.Sex;

namespace Listes360.Imports.Lists;

/// <summary>The words ESMS lists use for a modality, a situation, a sex (folded: case and accents ignored).</summary>
public static class ListVocabulary
{
    private static readonly Dictionary<string, ModalityKind> Modalities = new(StringComparer.Ordinal)
    {
        ["internat"] = ModalityKind.Residential, ["hebergement complet"] = ModalityKind.Residential, ["residentiel"] = ModalityKind.Residential,
        ["hebergement permanent"] = ModalityKind.Residential, ["residential"] = ModalityKind.Residential,
        ["semi internat"] = ModalityKind.SemiResidential, ["semiinternat"] = ModalityKind.SemiResidential, ["accueil de jour"] = ModalityKind.SemiResidential,
        ["demi pension"] = ModalityKind.SemiResidential, ["semi residential"] = ModalityKind.SemiResidential, ["semi internat accueil de jour"] = ModalityKind.SemiResidential,
        ["externat"] = ModalityKind.NonResidential, ["non residential"] = ModalityKind.NonResidential,
        ["accueil temporaire"] = ModalityKind.Temporary, ["temporaire"] = ModalityKind.Temporary, ["hebergement temporaire"] = ModalityKind.Temporary, ["temporary"] = ModalityKind.Temporary,
        ["accueil sequentiel"] = ModalityKind.Sequential, ["sequentiel"] = ModalityKind.Sequential, ["sequential"] = ModalityKind.Sequential,
        ["milieu ordinaire"] = ModalityKind.InCommunity, ["accompagnement en milieu ordinaire"] = ModalityKind.InCommunity,
        ["prestation en milieu ordinaire"] = ModalityKind.InCommunity, ["service"] = ModalityKind.InCommunity, ["a domicile"] = ModalityKind.InCommunity,
        ["ambulatoire"] = ModalityKind.InCommunity, ["in community"] = ModalityKind.InCommunity,
    };

    private static readonly (string Word, SituationKind Kind)[] Situations =
    [
        ("creton", SituationKind.InChildrenEsmsUnderCreton),
        ("domicile", SituationKind.AtHomeWithoutSolution), ("sans solution", SituationKind.AtHomeWithoutSolution),
        ("esms enfant", SituationKind.InChildrenEsms), ("ime", SituationKind.InChildrenEsms), ("itep", SituationKind.InChildrenEsms),
        ("esms adulte", SituationKind.InAdultEsms), ("foyer", SituationKind.InAdultEsms), ("mas", SituationKind.InAdultEsms), ("fam", SituationKind.InAdultEsms),
        ("hopital", SituationKind.InHospital), ("hospitalis", SituationKind.InHospital),
        ("belgique", SituationKind.InBelgium), ("hors departement", SituationKind.OutOfDepartment),
        ("scolaris", SituationKind.SchoolWithPartialSupport), ("ecole", SituationKind.SchoolWithPartialSupport), ("ulis", SituationKind.SchoolWithPartialSupport),
        ("travail", SituationKind.WorkWithPartialSupport), ("emploi", SituationKind.WorkWithPartialSupport),
        ("ase", SituationKind.ChildWelfare), ("aide sociale a l enfance", SituationKind.ChildWelfare), ("famille d accueil", SituationKind.ChildWelfare),
        ("ehpad", SituationKind.InElderlyCare), ("accueil temporaire", SituationKind.TemporaryStaysOnly), ("autre", SituationKind.Other),
    ];

    public const string ModalityHint = "internat, semi-internat ou accueil de jour, externat, accueil temporaire, accueil séquentiel, milieu ordinaire";

    public const string SituationHint = "à domicile sans solution, ESMS enfants, amendement Creton, ESMS adultes, hôpital, Belgique, hors département, scolarisé, travail, ASE, EHPAD, accueil temporaire, autre";

    public static ModalityKind? Modality(string? text)
    {
        var key = Fold(text);
        if (Modalities.TryGetValue(key, out var m)) return m;
        foreach (var value in Enum.GetValues<ModalityKind>())
            if (Fold(value.Label()) == key) return value;
        return null;
    }

    public static SituationKind? Situation(string? text)
    {
        var key = Fold(text);
        if (key.Length == 0) return null;
        foreach (var kind in Enum.GetValues<SituationKind>())
            if (Fold(kind.Label()) == key) return kind;
        var words = $" {key} ";
        foreach (var (word, kind) in Situations)
            if (words.Contains($" {word}", StringComparison.Ordinal)) return kind;
        return null;
    }

    public static SexKind Sex(string? text) => Fold(text) switch
    {
        "f" or "feminin" or "femme" or "fille" or "mme" or "madame" or "female" => SexKind.Female,
        "m" or "h" or "masculin" or "homme" or "garcon" or "monsieur" or "male" => SexKind.Male,
        _ => SexKind.Unknown,
    };

    /// <summary>Lower case, no accents, words separated by one space.</summary>
    private static string Fold(string? text) => FrenchNames.Fold(text);
}
