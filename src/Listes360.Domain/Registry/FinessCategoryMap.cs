namespace Listes360.Domain.Registry;

/// <summary>
/// Maps FINESS establishment categories (<c>categetab</c>) to Listes360's kinds of support. Explicit
/// data: every category of the FINESS PH extract (France, January 2021) is here; any other code is
/// refused with <c>UNKNOWN_FINESS_CATEGORY</c> and a French message that says what the code is when
/// the nomenclature knows it (EHPAD, SSIAD, entreprise adaptée…).
/// </summary>
/// <remarks>
/// Choices: 437 FAM and 448 EAM are one kind (<see cref="KindOfSupport.Fam"/>), 382 foyer de vie and
/// 449 EANM another (<see cref="KindOfSupport.FoyerDeVie"/>), following the 2017 nomenclature reform
/// that re-codes the former into the latter. 402 jardin d'enfants spécialisé counts as IME; 194, 195,
/// 196 (visual, hearing, deaf-blind) are one sensory kind; 198 CPO and 249 CRP are vocational
/// rehabilitation. 189 CMPP, 190 CAMSP and 221 BAPU are mapped but out of the waiting-list scope
/// (<see cref="KindOfSupportInfo.InWaitingListScope"/>). Codes of the ANS hierarchy that have no label
/// and no establishment (184, 185, 191, 193, 237, 250, 251, 343, 397) are not mapped.
/// </remarks>
public static class FinessCategoryMap
{
    private static readonly IReadOnlyDictionary<string, KindOfSupport> Map = new Dictionary<string, KindOfSupport>
    {
        ["182"] = KindOfSupport.Sessad,
        ["183"] = KindOfSupport.Ime,
        ["186"] = KindOfSupport.Itep,
        ["188"] = KindOfSupport.PolyhandicapChildren,
        ["189"] = KindOfSupport.Cmpp,
        ["190"] = KindOfSupport.Camsp,
        ["192"] = KindOfSupport.Iem,
        ["194"] = KindOfSupport.SensoryChildren,
        ["195"] = KindOfSupport.SensoryChildren,
        ["196"] = KindOfSupport.SensoryChildren,
        ["198"] = KindOfSupport.VocationalRehabilitation,
        ["221"] = KindOfSupport.Bapu,
        ["238"] = KindOfSupport.SpecialisedFosterCare,
        ["246"] = KindOfSupport.Esat,
        ["249"] = KindOfSupport.VocationalRehabilitation,
        ["252"] = KindOfSupport.FoyerHebergement,
        ["253"] = KindOfSupport.PolyvalentAdultHome,
        ["255"] = KindOfSupport.Mas,
        ["370"] = KindOfSupport.ExperimentalAllAges,
        ["377"] = KindOfSupport.ExperimentalChildren,
        ["379"] = KindOfSupport.ExperimentalAdults,
        ["382"] = KindOfSupport.FoyerDeVie,
        ["390"] = KindOfSupport.ChildrenTemporary,
        ["395"] = KindOfSupport.AdultTemporary,
        ["396"] = KindOfSupport.ChildrenHousing,
        ["402"] = KindOfSupport.Ime,
        ["437"] = KindOfSupport.Fam,
        ["445"] = KindOfSupport.Samsah,
        ["446"] = KindOfSupport.Savs,
        ["448"] = KindOfSupport.Fam,
        ["449"] = KindOfSupport.FoyerDeVie,
        ["464"] = KindOfSupport.Ueros,
    };

    /// <summary>The mapped category codes, sorted.</summary>
    public static IReadOnlyList<string> Categories { get; } = Map.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The categories that map to <paramref name="kind"/>.</summary>
    public static IReadOnlyList<string> CategoriesOf(KindOfSupport kind) =>
        Map.Where(p => p.Value == kind).Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();

    public static bool TryGetKind(string? category, out KindOfSupport kind) =>
        Map.TryGetValue(Normalise(category), out kind);

    /// <summary>The kind of support of a FINESS category, or <c>UNKNOWN_FINESS_CATEGORY</c>.</summary>
    public static KindOfSupport KindOf(string? category)
    {
        var code = Normalise(category);
        if (Map.TryGetValue(code, out var kind)) return kind;
        if (code.Length == 0)
            throw new DomainException("UNKNOWN_FINESS_CATEGORY", "La catégorie FINESS de l'établissement est vide.", "category");
        var known = FinessNomenclature.TryGet(code);
        var what = known switch
        {
            null => "n'existe pas dans la nomenclature FINESS des catégories d'établissements",
            { Label.Length: > 0 } => $"(« {known.Label} », famille « {DescribeFamily(known)} ») n'est pas un établissement ou service médico-social pour personnes handicapées géré par la liste d'attente départementale",
            _ => "est un code sans libellé ni établissement dans la nomenclature FINESS",
        };
        throw new DomainException("UNKNOWN_FINESS_CATEGORY",
            $"La catégorie FINESS « {code} » {what}. Catégories admises : {string.Join(", ", Categories)}.", "category");
    }

    private static string DescribeFamily(FinessCategory c) =>
        c.HandicapFamily.Length > 0 ? c.HandicapFamily : c.AggregateLabel;

    private static string Normalise(string? category)
    {
        var code = category?.Trim() ?? "";
        // FINESS codes are 3 digits; spreadsheets drop leading zeros ("1" for "001").
        return code.Length is > 0 and < 3 && code.All(char.IsAsciiDigit) ? code.PadLeft(3, '0') : code;
    }
}
