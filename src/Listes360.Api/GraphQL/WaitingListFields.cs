using GraphQL;
using GraphQL.Types;
using Listes360.Application.WaitingList;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.WaitingList;
using Listes360.Grains.WaitingList;

namespace Listes360.Api.GraphQL;

public sealed class WaitingReasonType : EnumerationGraphType<WaitingReason>
{
    public WaitingReasonType()
    {
        Name = "WaitingReason";
        Description = "Pourquoi la personne est dans la liste départementale.";
        foreach (var value in Values)
            value.Description = WaitingListCsv.ReasonLabel((WaitingReason)value.Value!);
    }
}

public sealed class WaitingListOrderType : EnumerationGraphType
{
    public WaitingListOrderType()
    {
        Name = "WaitingListOrder";
        Description = "Ordre de la liste départementale (une recherche par nom trie toujours par pertinence).";
        Add("OLDEST_REQUEST", WaitingListOrder.OldestRequest, "Attente la plus longue d'abord (plus ancienne demande), puis nom.");
        Add("NAME", WaitingListOrder.Name, "Nom de naissance, prénoms, date de naissance.");
        Add("GRID_SCORE", WaitingListOrder.GridScore, "Score de la grille harmonisée le plus haut d'abord, pour le type d'accompagnement scoreKind (le meilleur score des candidatures ouvertes de ce type, chacune classée par son ESMS) ; sans candidature classée de ce type : en fin de liste.");
        Add("RISK_PROBABILITY", WaitingListOrder.RiskProbability, "Probabilité de rupture la plus haute d'abord (modèle) ; sans probabilité : en fin de liste. Rôles qui voient la probabilité : territorial-staff, mdph-referent, admin.");
    }
}

public sealed class WorklistItemKindType : EnumerationGraphType<WorklistItemKind>
{
    public WorklistItemKindType()
    {
        Name = "WorklistItemKind";
        Description = "Ce qui est à faire.";
    }
}

public sealed class WorklistUrgencyType : EnumerationGraphType<WorklistUrgency>
{
    public WorklistUrgencyType()
    {
        Name = "WorklistUrgency";
        Description = "SOON : à faire avant l'échéance (orange) ; LATE : échéance passée (rouge).";
    }
}

public sealed class WaitingListFilterInputType : InputObjectGraphType<WaitingListFilterInput>
{
    public WaitingListFilterInputType()
    {
        Name = "WaitingListFilterInput";
        Description = "Filtres de la liste : chaque critère donné restreint la liste ; dans un critère, l'une des valeurs suffit.";
        Field<StringGraphType>("territory").Description("Territoire de résidence (code SIREN de l'EPCI). Un staff territorial dont le jeton porte un territoire ne voit que celui-ci.");
        Field<ListGraphType<NonNullGraphType<KindOfSupportType>>>("kinds").Description("Attend l'un de ces types d'accompagnement.");
        Field<ListGraphType<NonNullGraphType<ModalityType>>>("modalities").Description("Une candidature ouverte dans l'une de ces modalités.");
        Field<ListGraphType<NonNullGraphType<SituationKindType>>>("situations").Description("Situation actuelle.");
        Field<ListGraphType<NonNullGraphType<CandidatureStatusType>>>("statuses").Description("Une candidature ouverte dans l'un de ces statuts.");
        Field<ListGraphType<NonNullGraphType<RiskFlagType>>>("flags").Description("Porte l'un de ces indicateurs (CRETON, TRANSITION_AGE).");
        Field<BooleanGraphType>("urgent").Description("Urgence signalée (vrai) ou non (faux).");
        Field<BooleanGraphType>("withoutSolution").Description("Sans solution (vrai) ou avec une solution, même inadaptée (faux).");
        Field<DateOnlyGraphType>("waitingSinceFrom").Description("Plus ancienne demande à partir de ce jour.");
        Field<DateOnlyGraphType>("waitingSinceTo").Description("Plus ancienne demande jusqu'à ce jour.");
        Field<DateOnlyGraphType>("orientationEndingBefore").Description("Une orientation en cours prend fin avant ce jour.");
        Field<StringGraphType>("esms").Description("Une candidature ouverte dans cet ESMS (FINESS).");
        Field<BooleanGraphType>("includePreferredEsmsOnly").Description("Inclure les personnes qui n'attendent qu'un ESMS préféré (elles ont une solution) ; faux par défaut.");
    }
}

public sealed class ListedCandidatureType : ObjectGraphType<ListedCandidature>
{
    public ListedCandidatureType()
    {
        Name = "ListedCandidature";
        Description = "Une candidature ouverte d'une ligne de la liste départementale.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.Value);
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(c => c.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(c => c.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(c => c.Status, type: typeof(NonNullGraphType<CandidatureStatusType>));
        Field(c => c.RequestDate, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Date de la demande.");
        Field(c => c.WaitingForPreferred).Description("La personne a une solution mais attend une place dans cet ESMS préféré.");
        Field<EsmsType>("esms").Description("L'ESMS (lu une fois par requête pour toutes les lignes qui le nomment).").Resolve(c => c.Loaders().Esms(c.Source.Finess));
        GridFields.AddPosition(this, c => (c.Finess, c.Modality, c.Id));
    }
}

public sealed class WorklistItemType : ObjectGraphType<WorklistItem>
{
    public WorklistItemType()
    {
        Name = "WorklistItem";
        Description = "Une chose à faire : quoi, pourquoi, pour quand, et où.";
        Field(i => i.Kind, type: typeof(NonNullGraphType<WorklistItemKindType>));
        Field(i => i.Urgency, type: typeof(NonNullGraphType<WorklistUrgencyType>));
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.Person.Value);
        Field<StringGraphType>("finess").Description("L'ESMS concerné, s'il y en a un.").Resolve(c => c.Source.Esms?.Value);
        Field<IdGraphType>("candidatureId").Resolve(c => c.Source.Candidature?.Value);
        Field(i => i.Due, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Échéance (passée pour LATE).");
        Field(i => i.Why).Description("Pourquoi, en une phrase.");
    }
}

public sealed class WaitingListRowType : ObjectGraphType<WaitingListEntry>
{
    public WaitingListRowType()
    {
        Name = "WaitingListRow";
        Description = "Une personne de la liste départementale (une ligne par personne, jamais une par candidature).";
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.Person.Value);
        Field(e => e.Reason, type: typeof(NonNullGraphType<WaitingReasonType>));
        Field(e => e.BirthName).Description("Nom de naissance.");
        Field(e => e.UsageName, nullable: true).Description("Nom d'usage.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("firstNames").Resolve(c => c.Source.FirstNames.IsDefault ? [] : c.Source.FirstNames);
        Field(e => e.BirthDate, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(e => e.MdphFileNumber, nullable: true).Description("Numéro de dossier MDPH.");
        Field(e => e.Territory, nullable: true).Description("Territoire de résidence (EPCI).");
        Field(e => e.Situation, type: typeof(SituationType));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrientationType>>>>("orientations").Description("Orientations en cours et leurs fins.").Resolve(c => c.Source.Orientations);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ListedCandidatureType>>>>("candidatures").Description("Candidatures ouvertes, les plus anciennes d'abord.").Resolve(c => c.Source.Candidatures);
        Field(e => e.Urgency, type: typeof(UrgencyType));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RiskFlagType>>>>("flags").Resolve(c => c.Source.Flags);
        Field(e => e.OldestRequest, type: typeof(DateOnlyGraphType)).Description("Plus ancienne demande ouverte.");
        Field(e => e.SequentialNeeds, type: typeof(SequentialNeedsType));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WorklistItemType>>>>("worklist").Description("Ce qui est à faire pour cette personne.").Resolve(c => c.Source.Worklist);
        Field(e => e.Simulated).Description("Personne SIMULÉE (données de démonstration).");
    }
}

public sealed class WaitingListRowEdgeType() : EdgeGraphType<WaitingListEntry, WaitingListRowType>("WaitingListRowEdge", "Une ligne de la liste et son curseur.");

public sealed class WaitingListConnectionType() : ConnectionGraphType<WaitingListEntry, WaitingListRowEdgeType>(
    "WaitingListConnection", "Une page de la liste départementale.", "Nombre de personnes de la liste filtrée (et trouvées par la recherche).");

public sealed class WorklistRowType : ObjectGraphType<WorklistRow>
{
    public WorklistRowType()
    {
        Name = "WorklistRow";
        Description = "Une chose à faire, avec la personne qu'elle concerne.";
        Field<NonNullGraphType<WorklistItemType>>("item").Resolve(c => c.Source.Item);
        Field(r => r.BirthName);
        Field(r => r.FirstNames);
        Field(r => r.Territory, nullable: true);
    }
}

public static class WaitingListFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<WaitingListConnectionType>>("waitingList")
            .Description("La liste d'attente départementale : une ligne par personne en attente, filtrable, triable, avec recherche par nom (accents, fautes de frappe, préfixes, nom d'usage, date ou année de naissance, numéro MDPH) ; chaque page lue est tracée. Rôles : territorial-staff (son département, ou son territoire), mdph-referent, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("department", "Code du département (61…).")
            .Argument<WaitingListFilterInputType>("filter")
            .Argument<WaitingListOrderType>("orderBy", "Ordre (plus ancienne demande d'abord par défaut).")
            .Argument<KindOfSupportType>("scoreKind", "Le type d'accompagnement dont le tri GRID_SCORE compare les scores (obligatoire avec lui, refusé sans lui).")
            .Argument<StringGraphType>("search", "Recherche par nom, « dupont kylian », « martin 2012 », « 61-2019-01234 » (200 caractères au plus).")
            .Paged()
            .ResolveAsync(async c =>
            {
                var page = await c.RequestServices!.GetRequiredService<WaitingListQueries>().ListAsync(new WaitingListRequest(
                    c.GetArgument<string>("department"), (c.GetArgument<WaitingListFilterInput?>("filter") ?? new WaitingListFilterInput()).ToFilter(),
                    c.GetArgument("orderBy", WaitingListOrder.OldestRequest), c.GetArgument<string?>("search"), c.After(), c.First(),
                    c.GetArgument<KindOfSupport?>("scoreKind")));
                var keys = page.Rows.ToDictionary(r => r.Entry.Person, r => r.SortKey);
                return Connections.Of<WaitingListEntry, global::GraphQL.Types.Relay.DataObjects.Connection<WaitingListEntry>>(
                    [.. page.Rows.Select(r => r.Entry)], e => keys[e.Person], c.After(), c.After(), page.HasNextPage, page.TotalCount);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WorklistRowType>>>>("worklist")
            .Description("Ce qui est à faire dans le département pour l'appelant, en retard d'abord : orientations qui finissent ou ont fini, offres sans réponse, solutions trouvées ailleurs à confirmer, Creton et 16-19 ans sans candidature adulte, personnes sans nouvelles (lecture tracée). Rôles : esms-director (ses ESMS), territorial-staff (son territoire), mdph-referent, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("department", "Code du département (61…).")
            .ResolveAsync(async c => await c.RequestServices!.GetRequiredService<WaitingListQueries>().WorklistAsync(c.GetArgument<string>("department")));
    }
}
