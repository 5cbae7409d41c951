using GraphQL.Types;
using Listes360.Domain.Registry;
using Listes360.Grains.Registry;

namespace Listes360.Api.GraphQL;

public sealed class ModalityType : EnumerationGraphType<Modality>
{
    public ModalityType()
    {
        Name = "Modality";
        Description = "Modalité d'accueil d'un ESMS.";
        foreach (var value in Values)
            value.Description = ((Modality)value.Value!).Label();
    }
}

public sealed class PlacesType : ObjectGraphType<Places>
{
    public PlacesType()
    {
        Name = "Places";
        Description = "Places déclarées par un ESMS pour une modalité d'accueil.";
        Field(p => p.Modality, type: typeof(NonNullGraphType<ModalityType>)).Description("Modalité d'accueil.");
        Field(p => p.Capacity).Description("Capacité autorisée (nombre de places).");
        Field(p => p.Occupied).Description("Places occupées.");
        Field(p => p.Vacancies).Description("Places vacantes (capacité moins places occupées).");
        Field(p => p.EffectiveDate, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Date à laquelle la déclaration prend effet.");
    }
}

public sealed class PlacesChangeType : ObjectGraphType<PlacesChange>
{
    public PlacesChangeType()
    {
        Name = "PlacesChange";
        Description = "Une modification des places d'un ESMS : qui, quand, avant, après.";
        Field(c => c.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(c => c.Before, type: typeof(PlacesType)).Description("Places avant la modification (absentes pour une première déclaration).");
        Field(c => c.After, type: typeof(NonNullGraphType<PlacesType>)).Description("Places après la modification.");
        Field(c => c.ChangedBy).Description("Auteur de la modification.");
        Field(c => c.ChangedAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>)).Description("Horodatage de la modification.");
    }
}

public sealed class EsmsType : ObjectGraphType<EsmsSnapshot>
{
    public EsmsType()
    {
        Name = "Esms";
        Description = "Un établissement ou service médico-social (ESMS), identifié par son numéro FINESS.";
        Field(e => e.Finess).Description("Numéro FINESS de l'établissement (9 caractères).");
        Field(e => e.Name).Description("Raison sociale.");
        Field(e => e.Category).Description("Code de catégorie FINESS (par exemple 183 pour un IME).");
        Field(e => e.Places, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlacesType>>>)).Description("Places par modalité d'accueil.");
        Field(e => e.PlacesHistory, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlacesChangeType>>>)).Description("Historique des déclarations de places, de la plus ancienne à la plus récente.");
        Field(e => e.Version).Description("Version de l'enregistrement, incrémentée à chaque modification.");
    }
}

public sealed class RegisterEsmsInputType : InputObjectGraphType
{
    public RegisterEsmsInputType()
    {
        Name = "RegisterEsmsInput";
        Description = "Enregistrement (ou mise à jour de l'identité) d'un ESMS.";
        Field<NonNullGraphType<StringGraphType>>("finess").Description("Numéro FINESS (9 caractères, préfixe du département ; 2A/2B pour la Corse).");
        Field<NonNullGraphType<StringGraphType>>("name").Description("Raison sociale.");
        Field<NonNullGraphType<StringGraphType>>("category").Description("Code de catégorie FINESS.");
    }
}

public sealed class SetEsmsPlacesInputType : InputObjectGraphType
{
    public SetEsmsPlacesInputType()
    {
        Name = "SetEsmsPlacesInput";
        Description = "Déclaration des places d'un ESMS pour une modalité d'accueil.";
        Field<NonNullGraphType<StringGraphType>>("finess").Description("Numéro FINESS de l'ESMS.");
        Field<NonNullGraphType<ModalityType>>("modality").Description("Modalité d'accueil.");
        Field<NonNullGraphType<IntGraphType>>("capacity").Description("Capacité (nombre de places, 0 ou plus).");
        Field<NonNullGraphType<IntGraphType>>("occupied").Description("Places occupées (entre 0 et la capacité).");
        Field<DateOnlyGraphType>("effectiveDate").Description("Date d'effet ; aujourd'hui par défaut.");
    }
}
