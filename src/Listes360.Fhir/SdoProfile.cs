using Listes360.Domain.Candidatures;

namespace Listes360.Fhir;

/// <summary>How a slice's value is typed in the SDOTask profile.</summary>
public enum SdoValueKind
{
    Identifier,
    String,
    CodeableConcept,
    Date,
    Boolean,
}

/// <summary>One slice of <c>Task.input</c> in the SDOTask profile: its code, cardinality and value type.</summary>
public sealed record SdoSlice(string Code, int Min, int Max, SdoValueKind Kind);

/// <summary>
/// The ANS SDO implementation guide (<c>ans.fhir.fr.sdo</c>, FHIR R4 4.0.1) as data, copied into the
/// project so that nothing reads the guide at run time: canonical URLs, the <c>SDOTask</c> slices and
/// their cardinalities, the value sets it binds (J252 and J251 come from <see cref="AnsVocabulary"/>,
/// J253 below).
/// </summary>
public static class SdoProfile
{
    public const string Canonical = "https://interop.esante.gouv.fr/ig/fhir/sdo";
    public const string TaskProfile = Canonical + "/StructureDefinition/sdo-task";
    public const string ConsentProfile = Canonical + "/StructureDefinition/esms-consent";
    /// <summary>InputTaskSDOCodeSystem: the codes of <c>Task.input.type</c>.</summary>
    public const string InputCodeSystem = Canonical + "/CodeSystem/input-task-sdo-codesystem";

    public const string J252System = "https://mos.esante.gouv.fr/NOS/TRE_R357-StatutPersonnePriseCharge/FHIR/TRE-R357-StatutPersonnePriseCharge";
    public const string J251System = "https://mos.esante.gouv.fr/NOS/TRE_R358-MotifStatutPersonnePriseCharge/FHIR/TRE-R358-MotifStatutPersonnePriseCharge";
    public const string J253ValueSet = "https://mos.esante.gouv.fr/NOS/JDV_J253-StatutPersonnePriseChargeUnite/FHIR/JDV-J253-StatutPersonnePriseChargeUnite";

    /// <summary>The system of identifiers Listes360 gives (persons, decisions it knows only by their MDPH reference).</summary>
    public const string Listes360System = "urn:listes360";

    public const string IdNatStruct = "idNat_Struct";
    public const string NomEsms = "nomESMS";
    public const string StatutEsms = "statutESMS";
    public const string MotifEsms = "motifESMS";
    public const string DateStatutEsms = "dateStatutESMS";
    public const string IdUnite = "idUnite";
    public const string NomUnite = "nomUnite";
    public const string CategorieOrganisation = "categorieOrganisation";
    public const string TemporaliteAccueil = "temporaliteAccueil";
    public const string AccueilSequentiel = "accueilSequentiel";
    public const string ModePriseCharge = "modePriseCharge";
    public const string StatutUnite = "statutUnite";
    public const string DateStatutUnite = "dateStatutUnite";
    public const string MotifUnite = "motifUnite";
    public const string IdDecision = "idDecision";
    public const string IdNatDecision = "idNat_Decision";

    /// <summary>The slices of <c>Task.input</c>, as the profile declares them (sliced by <c>type</c>, open).</summary>
    public static readonly IReadOnlyList<SdoSlice> Slices =
    [
        new(IdNatStruct, 1, 1, SdoValueKind.Identifier),
        new(NomEsms, 1, 1, SdoValueKind.String),
        new(StatutEsms, 0, 1, SdoValueKind.CodeableConcept),
        new(MotifEsms, 0, 1, SdoValueKind.CodeableConcept),
        new(DateStatutEsms, 0, 1, SdoValueKind.Date),
        new(IdUnite, 0, 1, SdoValueKind.Identifier),
        new(NomUnite, 0, 1, SdoValueKind.String),
        new(CategorieOrganisation, 0, 1, SdoValueKind.CodeableConcept),
        new(TemporaliteAccueil, 0, 1, SdoValueKind.CodeableConcept),
        new(AccueilSequentiel, 0, 1, SdoValueKind.Boolean),
        new(ModePriseCharge, 0, 1, SdoValueKind.CodeableConcept),
        new(StatutUnite, 0, 1, SdoValueKind.CodeableConcept),
        new(DateStatutUnite, 0, 1, SdoValueKind.Date),
        new(MotifUnite, 0, 1, SdoValueKind.CodeableConcept),
        new(IdDecision, 1, 1, SdoValueKind.Identifier),
        new(IdNatDecision, 1, 1, SdoValueKind.Identifier),
    ];

    /// <summary>
    /// JDV_J253 — the person's status in a unit (codes 180 to 188 of the guide). Listes360 checks the code
    /// belongs to the value set; it neither sends nor interprets unit statuses (it tells an ESMS that a
    /// person was admitted elsewhere through the J252 status 45 and reason 119, never where).
    /// </summary>
    public static readonly IReadOnlySet<string> J253Codes = new HashSet<string>(Enumerable.Range(180, 9).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The slices the invariant <c>regle-StatutUnite</c> requires when <c>statutUnite</c> is present.</summary>
    public static readonly IReadOnlyList<string> StatutUniteRequires = [IdUnite, NomUnite, CategorieOrganisation, ModePriseCharge, DateStatutUnite];

    /// <summary>The FHIRPath of the invariant, as the guide writes it.</summary>
    public const string StatutUniteExpression =
        "input.type.where(text='idUnite').exists() and input.type.where(text='nomUnite').exists() and input.type.where(text='categorieOrganisation').exists() and input.type.where(text='modePriseCharge').exists() and input.type.where(text='dateStatutUnite').exists() or input.type.where(text='statutUnite').exists().not()";
}
