namespace Listes360.Domain.Registry;

/// <summary>The public an ESMS serves.</summary>
public enum Audience
{
    Children = 1,
    Adults = 2,
    /// <summary>Experimental ESMS for disabled people of all ages (FINESS 370).</summary>
    AllAges = 3,
}

/// <summary>
/// Families of kinds of support. Two candidatures are "of the same kind" for
/// <see cref="Candidatures.AdmissionEffects"/> when their kinds share a family and a public
/// (<see cref="KindsOfSupport.IsSameKindAs"/>): an admission in one ends the waiting in the others. Families are coarser than
/// kinds on purpose: an adult admitted in a MAS no longer waits for a FAM nor a foyer de vie, whereas a
/// child in a SESSAD still waits for an IME (a SESSAD is often the stop-gap while waiting).
/// </summary>
public enum SupportFamily
{
    /// <summary>IME, ITEP, IEM, polyhandicap, sensory, jardin d'enfants, CAFS, children's experimental.</summary>
    ChildrenEstablishment = 1,
    /// <summary>SESSAD.</summary>
    ChildrenHomeSupport = 2,
    /// <summary>CAMSP, CMPP, BAPU: direct-access consultations, out of the waiting-list scope.</summary>
    ChildrenAmbulatory = 3,
    /// <summary>Foyer d'hébergement pour enfants (396).</summary>
    ChildrenHousing = 4,
    /// <summary>MAS, FAM/EAM, foyer de vie/EANM, foyer d'hébergement, foyer polyvalent.</summary>
    AdultAccommodation = 5,
    /// <summary>ESAT.</summary>
    AdultWork = 6,
    /// <summary>SAVS, SAMSAH.</summary>
    AdultHomeSupport = 7,
    /// <summary>CRP, CPO, UEROS.</summary>
    AdultVocationalRehabilitation = 8,
    /// <summary>Accueil temporaire establishments (390, 395): never ended by, nor ending, another admission.</summary>
    Respite = 9,
    /// <summary>Experimental ESMS for adults or all ages: their content varies, no automatic effect.</summary>
    Experimental = 10,
}

/// <summary>
/// The kinds of support Listes360 knows, i.e. what a CDAPH orientation points to and what an ESMS is.
/// Several FINESS categories may map to one kind (<see cref="FinessCategoryMap"/>). The numeric values
/// are part of the persisted state: never renumber, only add.
/// </summary>
public enum KindOfSupport
{
    // Children
    Ime = 1,
    Sessad = 2,
    Itep = 3,
    Iem = 4,
    PolyhandicapChildren = 5,
    SensoryChildren = 6,
    SpecialisedFosterCare = 7,
    ChildrenHousing = 8,
    ChildrenTemporary = 9,
    ExperimentalChildren = 10,
    Camsp = 11,
    Cmpp = 12,
    Bapu = 13,
    // Adults
    Mas = 20,
    Fam = 21,
    FoyerDeVie = 22,
    PolyvalentAdultHome = 23,
    FoyerHebergement = 24,
    Esat = 25,
    Samsah = 26,
    Savs = 27,
    AdultTemporary = 28,
    ExperimentalAdults = 29,
    ExperimentalAllAges = 30,
    VocationalRehabilitation = 31,
    Ueros = 32,
}

/// <summary>What Listes360 knows of a kind of support.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Code">Stable short code (used in messages, CSV and the API), e.g. <c>IME</c>.</param>
/// <param name="Label">French label.</param>
/// <param name="Audience">Children, adults or all ages.</param>
/// <param name="Family">For "same kind" in admission effects.</param>
/// <param name="UsualAgeRange">The usual age range; an ESMS may declare its own.</param>
/// <param name="UsualModalities">The modalities such an ESMS usually offers; an ESMS declares its own.</param>
/// <param name="InWaitingListScope">
/// Whether the departmental waiting list manages candidatures for this kind. CAMSP, CMPP and BAPU are
/// <c>false</c>: they are open to families directly, without a CDAPH orientation, and their (long)
/// waits are for a consultation, not a place; they are mapped so that every FINESS PH category is known.
/// </param>
/// <param name="AcceptedOrientations">
/// The orientation kinds an ESMS of this kind accepts (always includes the kind itself).
/// </param>
public sealed record KindOfSupportInfo(
    KindOfSupport Kind,
    string Code,
    string Label,
    Audience Audience,
    SupportFamily Family,
    AgeRange UsualAgeRange,
    IReadOnlyList<Modality> UsualModalities,
    bool InWaitingListScope,
    IReadOnlyList<KindOfSupport> AcceptedOrientations);

/// <summary>The catalogue of kinds of support: explicit data, one line per kind.</summary>
public static class KindsOfSupport
{
    private static readonly Modality[] ChildEstablishment = [Modality.Residential, Modality.SemiResidential, Modality.NonResidential, Modality.Temporary, Modality.Sequential];
    private static readonly Modality[] AdultEstablishment = [Modality.Residential, Modality.SemiResidential, Modality.Temporary, Modality.Sequential];
    private static readonly Modality[] Service = [Modality.InCommunity];
    private static readonly KindOfSupport[] ChildrenInstitutions = [KindOfSupport.Ime, KindOfSupport.Itep, KindOfSupport.Iem, KindOfSupport.PolyhandicapChildren, KindOfSupport.SensoryChildren];

    private static readonly AgeRange Children = new(0, 20);
    private static readonly AgeRange Adults = new(18, null);

    private static KindOfSupportInfo K(KindOfSupport kind, string code, string label, Audience audience, SupportFamily family,
        AgeRange ages, Modality[] modalities, bool inScope = true, params KindOfSupport[] alsoAccepts) =>
        new(kind, code, label, audience, family, ages, modalities, inScope, [kind, .. alsoAccepts.Where(k => k != kind)]);

    /// <summary>All kinds, in enum order.</summary>
    public static readonly IReadOnlyList<KindOfSupportInfo> All =
    [
        K(KindOfSupport.Ime, "IME", "Institut médico-éducatif (IME)", Audience.Children, SupportFamily.ChildrenEstablishment, Children, ChildEstablishment),
        K(KindOfSupport.Sessad, "SESSAD", "Service d'éducation spéciale et de soins à domicile (SESSAD)", Audience.Children, SupportFamily.ChildrenHomeSupport, Children, Service),
        K(KindOfSupport.Itep, "ITEP", "Institut thérapeutique, éducatif et pédagogique (ITEP)", Audience.Children, SupportFamily.ChildrenEstablishment, Children, ChildEstablishment),
        K(KindOfSupport.Iem, "IEM", "Institut d'éducation motrice (IEM)", Audience.Children, SupportFamily.ChildrenEstablishment, Children, ChildEstablishment),
        K(KindOfSupport.PolyhandicapChildren, "EEAP", "Établissement pour enfants et adolescents polyhandicapés (EEAP)", Audience.Children, SupportFamily.ChildrenEstablishment, Children, ChildEstablishment),
        K(KindOfSupport.SensoryChildren, "DEF_SENSORIEL", "Institut pour déficients sensoriels (auditifs, visuels, sourds-aveugles)", Audience.Children, SupportFamily.ChildrenEstablishment, Children, ChildEstablishment),
        K(KindOfSupport.SpecialisedFosterCare, "CAFS", "Centre d'accueil familial spécialisé (CAFS)", Audience.Children, SupportFamily.ChildrenEstablishment, Children, [Modality.Residential, Modality.Sequential], true, ChildrenInstitutions),
        K(KindOfSupport.ChildrenHousing, "FOYER_ENFANTS", "Foyer d'hébergement pour enfants et adolescents handicapés", Audience.Children, SupportFamily.ChildrenHousing, Children, [Modality.Residential, Modality.Sequential]),
        K(KindOfSupport.ChildrenTemporary, "AT_ENFANTS", "Établissement d'accueil temporaire pour enfants handicapés", Audience.Children, SupportFamily.Respite, Children, [Modality.Temporary], true, ChildrenInstitutions),
        K(KindOfSupport.ExperimentalChildren, "EXPE_ENFANTS", "Établissement expérimental pour enfance handicapée", Audience.Children, SupportFamily.ChildrenEstablishment, Children, ChildEstablishment, true, [.. ChildrenInstitutions, KindOfSupport.Sessad]),
        K(KindOfSupport.Camsp, "CAMSP", "Centre d'action médico-sociale précoce (CAMSP)", Audience.Children, SupportFamily.ChildrenAmbulatory, new AgeRange(0, 6), [Modality.NonResidential], inScope: false),
        K(KindOfSupport.Cmpp, "CMPP", "Centre médico-psycho-pédagogique (CMPP)", Audience.Children, SupportFamily.ChildrenAmbulatory, Children, [Modality.NonResidential], inScope: false),
        K(KindOfSupport.Bapu, "BAPU", "Bureau d'aide psychologique universitaire (BAPU)", Audience.Adults, SupportFamily.ChildrenAmbulatory, new AgeRange(17, 30), [Modality.NonResidential], inScope: false),

        K(KindOfSupport.Mas, "MAS", "Maison d'accueil spécialisée (MAS)", Audience.Adults, SupportFamily.AdultAccommodation, Adults, AdultEstablishment),
        K(KindOfSupport.Fam, "FAM_EAM", "Foyer d'accueil médicalisé / établissement d'accueil médicalisé (FAM, EAM)", Audience.Adults, SupportFamily.AdultAccommodation, Adults, AdultEstablishment),
        K(KindOfSupport.FoyerDeVie, "FV_EANM", "Foyer de vie / établissement d'accueil non médicalisé (FV, EANM)", Audience.Adults, SupportFamily.AdultAccommodation, Adults, AdultEstablishment),
        K(KindOfSupport.PolyvalentAdultHome, "FOYER_POLYVALENT", "Foyer d'accueil polyvalent pour adultes handicapés", Audience.Adults, SupportFamily.AdultAccommodation, Adults, AdultEstablishment, true, KindOfSupport.FoyerDeVie, KindOfSupport.FoyerHebergement, KindOfSupport.Fam),
        K(KindOfSupport.FoyerHebergement, "FOYER_HEBERGEMENT", "Foyer d'hébergement pour travailleurs handicapés", Audience.Adults, SupportFamily.AdultAccommodation, new AgeRange(18, 62), [Modality.Residential, Modality.Temporary, Modality.Sequential]),
        K(KindOfSupport.Esat, "ESAT", "Établissement et service d'aide par le travail (ESAT)", Audience.Adults, SupportFamily.AdultWork, new AgeRange(16, 62), [Modality.SemiResidential, Modality.Sequential]),
        K(KindOfSupport.Samsah, "SAMSAH", "Service d'accompagnement médico-social pour adultes handicapés (SAMSAH)", Audience.Adults, SupportFamily.AdultHomeSupport, Adults, Service),
        K(KindOfSupport.Savs, "SAVS", "Service d'accompagnement à la vie sociale (SAVS)", Audience.Adults, SupportFamily.AdultHomeSupport, Adults, Service),
        K(KindOfSupport.AdultTemporary, "AT_ADULTES", "Établissement d'accueil temporaire pour adultes handicapés", Audience.Adults, SupportFamily.Respite, Adults, [Modality.Temporary], true, KindOfSupport.Mas, KindOfSupport.Fam, KindOfSupport.FoyerDeVie),
        K(KindOfSupport.ExperimentalAdults, "EXPE_ADULTES", "Établissement expérimental pour adultes handicapés", Audience.Adults, SupportFamily.Experimental, Adults, [.. AdultEstablishment, Modality.InCommunity], true, KindOfSupport.Mas, KindOfSupport.Fam, KindOfSupport.FoyerDeVie, KindOfSupport.Samsah, KindOfSupport.Savs),
        K(KindOfSupport.ExperimentalAllAges, "EXPE_TOUS_AGES", "Établissement expérimental pour personnes handicapées (tous âges)", Audience.AllAges, SupportFamily.Experimental, new AgeRange(0, null), [.. ChildEstablishment, Modality.InCommunity]),
        K(KindOfSupport.VocationalRehabilitation, "ESRP_ESPO", "Centre de rééducation ou de préorientation professionnelle (ESRP, ESPO)", Audience.Adults, SupportFamily.AdultVocationalRehabilitation, new AgeRange(16, null), [Modality.Residential, Modality.SemiResidential, Modality.NonResidential]),
        K(KindOfSupport.Ueros, "UEROS", "Unité d'évaluation, de réentraînement et d'orientation sociale et professionnelle (UEROS)", Audience.Adults, SupportFamily.AdultVocationalRehabilitation, new AgeRange(16, null), [Modality.Residential, Modality.SemiResidential, Modality.NonResidential]),
    ];

    private static readonly Dictionary<KindOfSupport, KindOfSupportInfo> ByKind = All.ToDictionary(k => k.Kind);
    private static readonly Dictionary<string, KindOfSupportInfo> ByCode = All.ToDictionary(k => k.Code, StringComparer.OrdinalIgnoreCase);

    public static KindOfSupportInfo Info(this KindOfSupport kind) =>
        ByKind.TryGetValue(kind, out var info)
            ? info
            : throw new DomainException("UNKNOWN_KIND_OF_SUPPORT", $"Type d'accompagnement inconnu ({(int)kind}).", "kind");

    public static string Label(this KindOfSupport kind) => kind.Info().Label;

    /// <summary>Parses a stable code such as <c>IME</c> or <c>FAM_EAM</c> (case-insensitive).</summary>
    public static KindOfSupport FromCode(string? code) =>
        code is not null && ByCode.TryGetValue(code.Trim(), out var info)
            ? info.Kind
            : throw new DomainException("UNKNOWN_KIND_OF_SUPPORT",
                $"Type d'accompagnement « {code} » inconnu. Codes admis : {string.Join(", ", All.Select(k => k.Code))}.", "kind");

    /// <summary>Whether an ESMS of kind <paramref name="esmsKind"/> accepts an orientation towards <paramref name="orientationKind"/>.</summary>
    public static bool Accepts(this KindOfSupport esmsKind, KindOfSupport orientationKind) =>
        esmsKind.Info().AcceptedOrientations.Contains(orientationKind);

    /// <summary>
    /// "Same kind of support" for admission effects: same family and same public; respite,
    /// experimental and ambulatory kinds are never "the same kind" (no automatic effect).
    /// </summary>
    public static bool IsSameKindAs(this KindOfSupport a, KindOfSupport b)
    {
        var (ia, ib) = (a.Info(), b.Info());
        return ia.Family == ib.Family && ia.Audience == ib.Audience
            && ia.Family is not (SupportFamily.Respite or SupportFamily.Experimental or SupportFamily.ChildrenAmbulatory);
    }
}
