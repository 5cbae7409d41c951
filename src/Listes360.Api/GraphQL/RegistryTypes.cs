using GraphQL;
using GraphQL.Types;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Department;
using Listes360.Grains.Registry;
using Listes360.Application.Registry;

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

public sealed class KindOfSupportType : EnumerationGraphType<KindOfSupport>
{
    public KindOfSupportType()
    {
        Name = "KindOfSupport";
        Description = "Type d'accompagnement (famille de catégories FINESS) : ce qu'une orientation CDAPH permet et ce qu'un ESMS offre.";
        foreach (var value in Values)
            value.Description = ((KindOfSupport)value.Value!).Label();
    }
}

public sealed class AgeRangeType : ObjectGraphType<AgeRange>
{
    public AgeRangeType()
    {
        Name = "AgeRange";
        Description = "Tranche d'âge accueillie : de « from » ans inclus à « until » ans exclu.";
        Field(a => a.From).Description("Âge minimal (inclus).");
        Field(a => a.Until, nullable: true).Description("Âge à partir duquel la personne n'est plus accueillie (exclu) ; absent si sans limite.");
        Field(a => a.Label).Description("Libellé, par exemple « de 0 à 20 ans ».");
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
        Field<NonNullGraphType<StringGraphType>>("finess").Description("Numéro FINESS de l'établissement (9 caractères).").Resolve(c => c.Source.Profile.Finess.Value);
        Field<NonNullGraphType<StringGraphType>>("name").Description("Raison sociale.").Resolve(c => c.Source.Profile.Name);
        Field<NonNullGraphType<StringGraphType>>("category").Description("Code de catégorie FINESS (par exemple 183 pour un IME).").Resolve(c => c.Source.Profile.Category);
        Field<NonNullGraphType<KindOfSupportType>>("kind").Description("Type d'accompagnement.").Resolve(c => c.Source.Profile.Kind);
        Field<NonNullGraphType<AgeRangeType>>("ageRange").Description("Tranche d'âge accueillie.").Resolve(c => c.Source.Profile.AgeRange);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModalityType>>>>("modalities").Description("Modalités d'accueil proposées.").Resolve(c => c.Source.Profile.Modalities);
        Field<StringGraphType>("postcode").Description("Code postal.").Resolve(c => c.Source.Profile.Postcode);
        Field<StringGraphType>("commune").Description("Commune.").Resolve(c => c.Source.Profile.Commune);
        Field<StringGraphType>("territory").Description("Territoire (code SIREN de l'EPCI).").Resolve(c => c.Source.Profile.Territory);
        Field(e => e.Places, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlacesType>>>)).Description("Places par modalité d'accueil.");
        Field(e => e.PlacesHistory, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlacesChangeType>>>)).Description("Historique des déclarations de places, de la plus ancienne à la plus récente.");
        Field(e => e.Version).Description("Version de l'enregistrement, incrémentée à chaque modification.");
        Field(e => e.OpenCandidatures).Description("Candidatures ouvertes adressées à l'ESMS (longueur de sa liste d'attente).");
        Field(e => e.SolutionFoundElsewhere).Description("Candidatures closes parce que la personne a été admise ailleurs (à confirmer par son conseiller).");
        Field<NonNullGraphType<EsmsCandidatureConnectionType>>("candidatures")
            .Description("Candidatures adressées à l'ESMS, de la plus ancienne demande à la plus récente. Rôles : esms-director (son ESMS), territorial-staff, mdph-referent, admin.")
            .Argument<BooleanGraphType>("openOnly", "Seulement les candidatures ouvertes (vrai par défaut).")
            .Paged()
            .ResolveAsync(async c => Connections.Of(await c.Grains().GetGrain<IEsmsGrain>(c.Source.Profile.Finess.Value).GetCandidaturesAsync(
                c.GetArgument("openOnly", true), c.After(), c.First()), EsmsGrain.SortKey, c.After()));
        NodeFields.Implement(this, GlobalId.Esms, e => e.Profile.Finess.Value);
    }
}

public sealed class EsmsSummaryType : ObjectGraphType<EsmsSummary>
{
    public EsmsSummaryType()
    {
        Name = "EsmsSummary";
        Description = "Un ESMS dans la liste du département.";
        Field(e => e.Finess).Description("Numéro FINESS.");
        Field(e => e.Name).Description("Raison sociale.");
        Field(e => e.Category).Description("Code de catégorie FINESS.");
        Field(e => e.Kind, type: typeof(NonNullGraphType<KindOfSupportType>)).Description("Type d'accompagnement.");
        Field(e => e.Territory, nullable: true).Description("Territoire (code SIREN de l'EPCI).");
        Field(e => e.Commune, nullable: true).Description("Commune.");
    }
}

public sealed class EsmsSummaryEdgeType() : EdgeGraphType<EsmsSummary, EsmsSummaryType>("EsmsSummaryEdge", "Un ESMS de la liste du département et son curseur.");

public sealed class EsmsSummaryConnectionType() : ConnectionGraphType<EsmsSummary, EsmsSummaryEdgeType>("EsmsSummaryConnection", "Une page de la liste des ESMS du département.");

public sealed class CandidatureStatusType : EnumerationGraphType<CandidatureStatus>
{
    public CandidatureStatusType()
    {
        Name = "CandidatureStatus";
        Description = "Statut harmonisé d'une candidature ; chaque statut porte aussi son code national (ANS JDV_J252).";
        foreach (var value in Values)
        {
            var info = ((CandidatureStatus)value.Value!).Info();
            value.Description = $"{info.Label} (ANS {info.Ans.Code} « {info.Ans.Display} »)";
        }
    }
}

public sealed class CandidatureReasonType : EnumerationGraphType<CandidatureReason>
{
    public CandidatureReasonType()
    {
        Name = "CandidatureReason";
        Description = "Motif harmonisé d'un changement de statut ; la plupart portent leur code national (ANS JDV_J251).";
        foreach (var value in Values)
        {
            var info = ((CandidatureReason)value.Value!).Info();
            value.Description = info.Ans is { } ans ? $"{info.Label} (ANS {ans.Code})" : info.Label;
        }
    }
}

public sealed class AnsCodeType : ObjectGraphType<AnsCode>
{
    public AnsCodeType()
    {
        Name = "AnsCode";
        Description = "Un code d'une terminologie nationale de l'ANS (échanges avec ViaTrajectoire et les logiciels des ESMS).";
        Field(a => a.System).Description("Jeu de valeurs (JDV_J252 pour les statuts, JDV_J251 pour les motifs).");
        Field(a => a.Code).Description("Code.");
        Field(a => a.Display).Description("Libellé officiel.");
    }
}

public sealed class EsmsCandidatureType : ObjectGraphType<EsmsCandidatureView>
{
    public EsmsCandidatureType()
    {
        Name = "EsmsCandidature";
        Description = "Une candidature telle que l'ESMS la voit (l'identité de la personne se lit sur la personne).";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Description("Identifiant pseudonyme de la personne.").Resolve(c => c.Source.PersonId.Value);
        Field(v => v.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(v => v.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(v => v.RequestDate, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Date de la demande.");
        Field(v => v.Status, type: typeof(NonNullGraphType<CandidatureStatusType>));
        Field<NonNullGraphType<AnsCodeType>>("statusAns").Description("Code ANS du statut.").Resolve(c => c.Source.Status.Info().Ans);
        Field(v => v.Reason, type: typeof(CandidatureReasonType)).Description("Motif du dernier changement.");
        Field(v => v.WaitingForPreferred).Description("La personne a une solution mais attend une place dans cet ESMS préféré.");
        Field(v => v.Version);
        Field(v => v.UpdatedAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        GridFields.AddPosition(this);
        Field<PersonType>("person").Description("La personne, identité comprise (lecture tracée ; lue une fois par requête pour toutes les lignes qui la nomment). Rôles et refus : ceux du champ person.")
            .Resolve(c => c.Loaders().Person(c.Source.PersonId));
    }
}

public sealed class EsmsCandidatureEdgeType() : EdgeGraphType<EsmsCandidatureView, EsmsCandidatureType>("EsmsCandidatureEdge", "Une candidature adressée à l'ESMS et son curseur.");

public sealed class EsmsCandidatureConnectionType() : ConnectionGraphType<EsmsCandidatureView, EsmsCandidatureEdgeType>("EsmsCandidatureConnection", "Une page des candidatures d'un ESMS.");

public sealed class RegisterEsmsInputType : InputObjectGraphType<EsmsRegistrationRequest>
{
    public RegisterEsmsInputType()
    {
        Name = "RegisterEsmsInput";
        Description = "Enregistrement (ou mise à jour) d'un ESMS du répertoire FINESS.";
        Field<NonNullGraphType<StringGraphType>>("finess").Description("Numéro FINESS (9 caractères, préfixe du département ; 2A/2B pour la Corse).");
        Field<NonNullGraphType<StringGraphType>>("name").Description("Raison sociale.");
        Field<NonNullGraphType<StringGraphType>>("category").Description("Code de catégorie FINESS (183 IME, 255 MAS…).");
        Field<StringGraphType>("postcode").Description("Code postal ; avec la commune, situe l'ESMS dans son territoire.");
        Field<StringGraphType>("commune").Description("Commune.");
        Field<IntGraphType>("ageFrom").Description("Âge minimal accueilli ; par défaut celui du type d'accompagnement.");
        Field<IntGraphType>("ageUntil").Description("Âge à partir duquel la personne n'est plus accueillie ; par défaut celui du type d'accompagnement.");
        Field<ListGraphType<NonNullGraphType<ModalityType>>>("modalities").Description("Modalités proposées ; par défaut celles du type d'accompagnement.");
    }
}

public sealed class SetEsmsPlacesInputType : InputObjectGraphType<SetEsmsPlacesInput>
{
    public SetEsmsPlacesInputType()
    {
        Name = "SetEsmsPlacesInput";
        Description = "Déclaration des places d'un ESMS pour une modalité d'accueil.";
        Field<NonNullGraphType<StringGraphType>>("finess").Description("Numéro FINESS de l'ESMS.");
        Field<NonNullGraphType<ModalityType>>("modality").Description("Modalité d'accueil (parmi celles de l'ESMS).");
        Field<NonNullGraphType<IntGraphType>>("capacity").Description("Capacité (nombre de places, 0 ou plus).");
        Field<NonNullGraphType<IntGraphType>>("occupied").Description("Places occupées (entre 0 et la capacité).");
        Field<DateOnlyGraphType>("effectiveDate").Description("Date d'effet ; aujourd'hui par défaut.");
    }
}
