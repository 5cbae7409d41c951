using GraphQL;
using GraphQL.Types;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Projections;
using Listes360.Domain.Registry;
using Listes360.Grains.Persons;

namespace Listes360.Api.GraphQL;

public sealed class SexType : EnumerationGraphType<Sex>
{
    public SexType()
    {
        Name = "Sex";
        Description = "Sexe à l'état civil ; UNKNOWN quand la source ne le dit pas (jamais déduit du prénom).";
    }
}

public sealed class SituationKindType : EnumerationGraphType<SituationKind>
{
    public SituationKindType()
    {
        Name = "SituationKind";
        Description = "Où la personne en est aujourd'hui.";
        foreach (var value in Values)
            value.Description = ((SituationKind)value.Value!).Label();
    }
}

public sealed class CarerRelationshipType : EnumerationGraphType<CarerRelationship>
{
    public CarerRelationshipType()
    {
        Name = "CarerRelationship";
        Description = "Lien de l'aidant avec la personne.";
    }
}

public sealed class CarerStatusType : EnumerationGraphType<CarerStatus>
{
    public CarerStatusType()
    {
        Name = "CarerStatus";
        Description = "État de l'aidant : disponible, épuisé, malade, indisponible.";
    }
}

public sealed class SolutionElsewhereDecisionType : EnumerationGraphType<SolutionElsewhereDecision>
{
    public SolutionElsewhereDecisionType()
    {
        Name = "SolutionElsewhereDecision";
        Description = "Réponse du conseiller à une clôture « solution trouvée ailleurs ».";
    }
}

public sealed class SituationType : ObjectGraphType<Situation>
{
    public SituationType()
    {
        Name = "Situation";
        Description = "Situation actuelle de la personne et depuis quand.";
        Field(s => s.Kind, type: typeof(NonNullGraphType<SituationKindType>));
        Field<NonNullGraphType<StringGraphType>>("label").Description("Libellé de la situation.").Resolve(c => c.Source.Kind.Label());
        Field(s => s.Since, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Depuis quand.");
        Field<StringGraphType>("esms").Description("FINESS de l'ESMS qui accueille la personne, s'il y en a un.").Resolve(c => c.Source.Esms?.Value);
        Field(s => s.Note, nullable: true).Description("Précision libre.");
    }
}

public sealed class CarerType : ObjectGraphType<Carer>
{
    public CarerType()
    {
        Name = "Carer";
        Description = "L'aidant principal (son année de naissance seulement, moins identifiante qu'une date).";
        Field(c => c.Relationship, type: typeof(NonNullGraphType<CarerRelationshipType>));
        Field(c => c.BirthYear, nullable: true).Description("Année de naissance (approximative si l'âge a été déclaré).");
        Field(c => c.Status, type: typeof(NonNullGraphType<CarerStatusType>));
        Field(c => c.StatusSince, type: typeof(DateOnlyGraphType)).Description("Depuis quand cet état.");
    }
}

public sealed class OrientationType : ObjectGraphType<Orientation>
{
    public OrientationType()
    {
        Name = "Orientation";
        Description = "Décision d'orientation de la CDAPH : le type d'accompagnement auquel la personne peut prétendre, et sa validité.";
        Field(o => o.DecisionReference).Description("Référence de la décision.");
        Field(o => o.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(o => o.ValidFrom, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Début de validité (inclus).");
        Field(o => o.ValidTo, type: typeof(DateOnlyGraphType)).Description("Fin de validité (incluse) ; absente si sans limite.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModalityType>>>>("modalities").Description("Modalités précisées par la décision (vide : toutes).")
            .Resolve(c => c.Source.Modalities.IsDefault ? [] : c.Source.Modalities);
    }
}

public sealed class CandidatureHistoryEntryType : ObjectGraphType<CandidatureHistoryEntry>
{
    public CandidatureHistoryEntryType()
    {
        Name = "CandidatureHistoryEntry";
        Description = "Un changement d'une candidature : de quoi, vers quoi, pourquoi, qui, quand.";
        Field(h => h.Version);
        Field(h => h.From, type: typeof(CandidatureStatusType)).Description("Statut précédent.");
        Field(h => h.To, type: typeof(NonNullGraphType<CandidatureStatusType>)).Description("Nouveau statut.");
        Field(h => h.Reason, type: typeof(CandidatureReasonType)).Description("Motif harmonisé.");
        Field(h => h.At, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(h => h.By).Description("Auteur.");
        Field<IdGraphType>("cause").Description("La candidature dont l'admission a causé ce changement.").Resolve(c => c.Source.Cause?.Value);
    }
}

public sealed class CandidatureType : ObjectGraphType<Candidature>
{
    public CandidatureType()
    {
        Name = "Candidature";
        Description = "Une demande d'admission : une personne, un ESMS, une modalité.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.PersonId.Value);
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(v => v.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(v => v.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(v => v.RequestDate, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Date de la demande.");
        Field(v => v.Status, type: typeof(NonNullGraphType<CandidatureStatusType>));
        Field<NonNullGraphType<AnsCodeType>>("statusAns").Description("Code ANS (JDV_J252) du statut.").Resolve(c => c.Source.Status.Info().Ans);
        Field<CandidatureReasonType>("reason").Description("Motif du dernier changement.").Resolve(c => c.Source.History.IsDefaultOrEmpty ? null : c.Source.History[^1].Reason);
        Field<AnsCodeType>("reasonAns").Description("Code ANS (JDV_J251) du motif, quand il en a un.")
            .Resolve(c => c.Source.History.IsDefaultOrEmpty || c.Source.History[^1].Reason is not { } r ? null : r.Info().Ans);
        Field(v => v.WaitingForPreferred).Description("La personne a une solution mais attend une place dans cet ESMS préféré.");
        Field(v => v.Version);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CandidatureHistoryEntryType>>>>("history").Resolve(c => c.Source.History);
        GridFields.AddPosition(this);
        Field<EsmsType>("esms").Description("L'ESMS de la candidature (lu une fois par requête pour toutes les lignes qui le nomment). Rôles : ceux du champ esms.")
            .Resolve(c => c.Loaders().Esms(c.Source.Finess));
        NodeFields.Implement(this, GlobalId.Candidature, c => $"{c.PersonId.Value}/{c.Id.Value}");
    }
}

public sealed class PersonType : ObjectGraphType<PersonSnapshot>
{
    public PersonType()
    {
        Name = "Person";
        Description = "Une personne en attente d'une solution, avec son identité (chaque lecture est tracée dans le journal d'audit). Une direction d'ESMS n'en voit que les candidatures à ses ESMS, sans l'ESMS d'accueil ni la note de la situation, sans les identifiants fusionnés.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Identifiant pseudonyme, propre au département.").Resolve(c => c.Source.Record.Id.Value);
        Field<NonNullGraphType<StringGraphType>>("birthName").Description("Nom de naissance.").Resolve(c => c.Source.Record.Identity.BirthName);
        Field<StringGraphType>("usageName").Description("Nom d'usage.").Resolve(c => c.Source.Record.Identity.UsageName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("firstNames").Description("Prénoms.").Resolve(c => c.Source.Record.Identity.FirstNames);
        Field<NonNullGraphType<DateOnlyGraphType>>("birthDate").Description("Date de naissance.").Resolve(c => c.Source.Record.Identity.BirthDate);
        Field<NonNullGraphType<SexType>>("sex").Resolve(c => c.Source.Record.Identity.Sex);
        Field<StringGraphType>("residenceCommune").Description("Code INSEE de la commune de résidence.").Resolve(c => c.Source.Record.Identity.ResidenceCommune);
        Field<StringGraphType>("territory").Description("Territoire de résidence (code SIREN de l'EPCI).").Resolve(c => c.Source.Territory);
        Field<StringGraphType>("mdphFileNumber").Description("Numéro de dossier MDPH.").Resolve(c => c.Source.Record.Identity.MdphFileNumber);
        Field<NonNullGraphType<BooleanGraphType>>("nirRecorded").Description("Une empreinte du NIR est enregistrée (le NIR lui-même ne l'est jamais).").Resolve(c => c.Source.Record.Identity.NirHash is not null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrientationType>>>>("orientations").Description("Décisions d'orientation CDAPH.")
            .Resolve(c => c.Source.Record.Orientations.IsDefault ? [] : c.Source.Record.Orientations);
        Field<SituationType>("situation").Resolve(c => c.Source.Record.Situation);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CarerType>>>>("carers").Resolve(c => c.Source.Record.Carers.IsDefault ? [] : c.Source.Record.Carers);
        Field<UrgencyType>("urgency").Description("Urgence signalée (staff territorial ou PAG), lue par la grille.").Resolve(c => c.Source.Record.Urgency);
        Field(p => p.ConsentToShare).Description("La personne (ou son représentant) a consenti au partage de sa demande entre ESMS.");
        Field(p => p.Candidatures, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CandidatureType>>>)).Description("Ses candidatures, de la plus ancienne demande à la plus récente ; pour une direction d'ESMS, seulement celles à ses ESMS.");
        Field(p => p.SolutionFoundElsewhere).Description("Pour une direction d'ESMS : la personne a été admise dans un autre ESMS (sans dire lequel). Pour le personnel du département : admise dans au moins un ESMS.");
        Field(p => p.Version);
        Field(p => p.Simulated).Description("Personne SIMULÉE (population de démonstration chargée par « ./listes360 seed » ou « up ») : pas une personne réelle.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("mergedPersons")
            .Description("Les identifiants fusionnés dans cette personne (doublons) ; lus, ils renvoient ici.")
            .Resolve(c => c.Source.MergedPersons ?? []);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TimelineEntryType>>>>("timeline")
            .Description("Le parcours de la personne dans l'ordre des dates, en français : orientations et leurs fins, situation, urgence, chaque candidature et chacun de ses changements avec qui et pourquoi, fusions et séparations de dossiers. Pour une direction d'ESMS, seulement ce qu'elle voit de la personne (ses candidatures).")
            .Resolve(c => PersonTimeline.Of(c.Source.Record, c.Source.Candidatures,
                Domain.Time.ParisDate.Today(c.RequestServices!.GetRequiredService<TimeProvider>())));
        NodeFields.Implement(this, GlobalId.Person, p => p.Record.Id.Value);
    }
}

public sealed class TimelineEventKindType : EnumerationGraphType<TimelineEventKind>
{
    public TimelineEventKindType()
    {
        Name = "TimelineEventKind";
        Description = "Ce qu'une étape du parcours enregistre.";
    }
}

public sealed class TimelineEntryType : ObjectGraphType<TimelineEntry>
{
    public TimelineEntryType()
    {
        Name = "TimelineEntry";
        Description = "Une étape du parcours d'une personne.";
        Field(e => e.Date, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Jour (heure de Paris).");
        Field(e => e.Kind, type: typeof(NonNullGraphType<TimelineEventKindType>));
        Field(e => e.Text).Description("L'étape, en une phrase.");
        Field(e => e.By, nullable: true).Description("Qui l'a enregistrée, quand le dossier le sait.");
        Field<IdGraphType>("candidatureId").Resolve(c => c.Source.Candidature?.Value);
        Field<StringGraphType>("finess").Description("L'ESMS concerné, s'il y en a un.").Resolve(c => c.Source.Esms?.Value);
    }
}

public sealed class WaitingCellType : ObjectGraphType<WaitingCell>
{
    public WaitingCellType()
    {
        Name = "WaitingCell";
        Description = "Décomptes d'attente : personnes distinctes d'un côté, somme des longueurs de listes de l'autre.";
        Field<NonNullGraphType<IntGraphType>>("distinctPersonsWaiting").Description("Personnes distinctes en attente, comme les lignes de la liste départementale (waitingList) : au moins une candidature ouverte, ou sans solution à domicile avec une orientation en cours et pas encore de candidature.").Resolve(c => (int)c.Source.Persons);
        Field<NonNullGraphType<IntGraphType>>("personsWithoutSolution").Description("Dont personnes sans aucune solution.").Resolve(c => (int)c.Source.PersonsWithoutSolution);
        Field<NonNullGraphType<IntGraphType>>("personsWithInadequateSolution").Description("Dont personnes avec une solution inadaptée (Creton, hôpital, Belgique…).").Resolve(c => (int)c.Source.PersonsWithInadequateSolution);
        Field<NonNullGraphType<IntGraphType>>("personsSituationUnknown").Description("Dont personnes dont la situation n'est pas renseignée.").Resolve(c => (int)c.Source.PersonsSituationUnknown);
        Field<NonNullGraphType<IntGraphType>>("personsWaitingForPreferred").Description("Personnes qui ont une solution et attendent un ESMS préféré (comptées à part).").Resolve(c => (int)c.Source.PersonsWaitingForPreferred);
        Field<NonNullGraphType<IntGraphType>>("listEntries").Description("Somme des longueurs des listes d'attente (candidatures ouvertes).").Resolve(c => (int)c.Source.Entries);
        Field<NonNullGraphType<IntGraphType>>("preferredEntries").Description("Dont candidatures « en attente d'un ESMS préféré ».").Resolve(c => (int)c.Source.PreferredEntries);
    }
}

public sealed class WaitingByKindType : ObjectGraphType<KeyValuePair<KindOfSupport, WaitingCell>>
{
    public WaitingByKindType()
    {
        Name = "WaitingByKind";
        Field<NonNullGraphType<KindOfSupportType>>("kind").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<WaitingCellType>>("counts").Resolve(c => c.Source.Value);
    }
}

public sealed class WaitingByTerritoryType : ObjectGraphType<KeyValuePair<string, WaitingCell>>
{
    public WaitingByTerritoryType()
    {
        Name = "WaitingByTerritory";
        Field<NonNullGraphType<StringGraphType>>("territory").Description("Code SIREN de l'EPCI, ou « ? » si inconnu.").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<WaitingCellType>>("counts").Resolve(c => c.Source.Value);
    }
}

public sealed class DepartmentCountsType : ObjectGraphType<WaitingCounts>
{
    public DepartmentCountsType()
    {
        Name = "DepartmentCounts";
        Description = "Ce que le département attend vraiment : personnes distinctes sans solution, et la somme des listes.";
        Field<NonNullGraphType<WaitingCellType>>("total").Resolve(c => c.Source.Total());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WaitingByKindType>>>>("byKind").Description("Par type d'accompagnement.")
            .Resolve(c => Enum.GetValues<KindOfSupport>().Select(k => KeyValuePair.Create(k, c.Source.ForKind(k))).Where(p => !p.Value.IsZero).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WaitingByTerritoryType>>>>("byTerritory").Description("Par territoire de résidence.")
            .Resolve(c => c.Source.Cells.Keys.Where(k => k.Kind is null).Select(k => k.Territory).Distinct().Order(StringComparer.Ordinal)
                .Select(t => KeyValuePair.Create(t, c.Source.ForTerritory(t))).ToList());
    }
}
