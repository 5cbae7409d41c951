using GraphQL;
using GraphQL.Types;
using Listes360.Api.Risk;
using Listes360.Application.Observatory;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Observatory;
using Listes360.Domain.Risk;
using Listes360.Domain.Time;

namespace Listes360.Api.GraphQL;

public sealed class RiskFlagType : EnumerationGraphType<RiskFlag>
{
    public RiskFlagType()
    {
        Name = "RiskFlag";
        Description = "Indicateurs déterministes de risque de rupture (règles documentées, sans modèle).";
        foreach (var value in Values)
            value.Description = ((RiskFlag)value.Value!).Label();
    }
}

public sealed class ModelProvenanceType : ObjectGraphType<ModelProvenance>
{
    public ModelProvenanceType()
    {
        Name = "ModelProvenance";
        Description = "D'où vient le modèle qui a calculé les probabilités : données d'entraînement (simulées ou non), date, mesures sur les personnes mises de côté.";
        Field(p => p.ModelId).Description("Identifiant du modèle (12 premiers chiffres hexadécimaux du SHA-256 du zip).");
        Field(p => p.TrainingData).Description("Données d'entraînement.");
        Field(p => p.Simulated).Description("Vrai si le modèle a appris sur des données SIMULÉES (aucune personne réelle).");
        Field<NonNullGraphType<DateOnlyGraphType>>("trainedOn").Description("Date d'entraînement.").Resolve(c => c.Source.TrainedOn);
        Field(p => p.Seed).Description("Graine de l'entraînement (même graine, mêmes mesures).");
        Field(p => p.TrainingRows).Description("Observations d'entraînement.");
        Field(p => p.HeldOutRows).Description("Observations des personnes mises de côté pour l'évaluation.");
        Field(p => p.Auc).Description("AUC ROC du modèle sur les personnes mises de côté.");
        Field(p => p.PrAuc).Description("PR-AUC (précision moyenne) du modèle.");
        Field(p => p.Brier).Description("Score de Brier du modèle (plus bas, mieux calibré).");
        Field(p => p.BaselineAuc).Description("AUC ROC de la référence « règles seules » (CRETON, TRANSITION_AGE).");
        Field(p => p.BaselinePrAuc).Description("PR-AUC de la référence « règles seules ».");
        Field(p => p.BaselineBrier).Description("Score de Brier de la référence « règles seules ».");
        Field(p => p.Trainer).Description("Algorithme.");
        Field(p => p.Label).Description("Événement prédit.");
    }
}

public sealed class RiskFactorType : ObjectGraphType<RiskFactorText>
{
    public RiskFactorType()
    {
        Name = "RiskFactor";
        Description = "Un facteur qui pèse dans la probabilité de cette personne (contribution du modèle), en mots.";
        Field(f => f.Code).Description("Code stable de la variable.");
        Field(f => f.Text).Description("Ce que la variable dit de la personne.");
        Field(f => f.Contribution).Description("Poids dans le score (plus grand, plus il pèse).");
    }
}

public sealed class RuptureRiskType : ObjectGraphType<RuptureRiskItem>
{
    public RuptureRiskType()
    {
        Name = "RuptureRisk";
        Description = "Une personne à risque de rupture, pseudonymisée : ni nom, ni date de naissance, ni numéro MDPH, ni empreinte de NIR.";
        Field(i => i.Pseudonym).Description("Pseudonyme propre à l'observatoire, calculé avec le secret du département (HMAC) : stable pendant un trimestre civil (voir pseudonymPeriod), différent au trimestre suivant ; ne permet pas d'ouvrir le dossier ni d'être recalculé à partir d'un identifiant.");
        Field(i => i.AgeBand).Description("Tranche d'âge (16-17, 18-19, 20-24…) ; l'observatoire ne reçoit jamais d'âge exact.");
        Field(i => i.Territory, nullable: true).Description("Territoire de résidence (code SIREN de l'EPCI), null s'il est inconnu.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindOfSupportType>>>>("kinds").Description("Types d'accompagnement attendus (candidatures ouvertes, sinon orientations).").Resolve(c => c.Source.Kinds);
        Field<SituationKindType>("situation").Description("Situation actuelle.").Resolve(c => c.Source.Situation);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RiskFlagType>>>>("flags").Resolve(c => c.Source.Flags);
        Field(i => i.Probability, nullable: true).Description("Probabilité de rupture dans les 12 mois (modèle) ; null sans modèle chargé.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RiskFactorType>>>>("topFactors").Description("Les facteurs qui pèsent le plus pour cette personne.").Resolve(c => c.Source.TopFactors);
        Field<NonNullGraphType<DateOnlyGraphType>>("computedOn").Description("Date du calcul (âges et durées à cette date).").Resolve(c => c.Source.ComputedOn);
    }
}

/// <summary>A page of rupture risks as a connection, with the period of its pseudonyms and the model's provenance.</summary>
public sealed class RuptureRiskConnection : global::GraphQL.Types.Relay.DataObjects.Connection<RuptureRiskItem>
{
    public PseudonymPeriod Period { get; private set; }
    public ModelProvenance? Model { get; private set; }

    public static RuptureRiskConnection Of(RuptureRiskPage page, string? after)
    {
        var connection = Connections.Of<RuptureRiskItem, RuptureRiskConnection>(page.Items, i => RiskQueries.CursorKey(page.Period, i.SortKey), after,
            page.EndCursor, page.HasNextPage, page.TotalCount);
        connection.Period = page.Period;
        connection.Model = page.Model;
        return connection;
    }
}

public sealed class RuptureRiskEdgeType() : EdgeGraphType<RuptureRiskItem, RuptureRiskType>("RuptureRiskEdge", "Une personne à risque de rupture (pseudonymisée) et son curseur.");

public sealed class RuptureRiskConnectionType : ConnectionGraphType<RuptureRiskItem, RuptureRiskEdgeType, RuptureRiskConnection>
{
    public RuptureRiskConnectionType()
        : base("RuptureRiskConnection", "Une page de la liste des risques de rupture (probabilité décroissante), avec la provenance du modèle.",
            "Nombre total de personnes correspondant aux filtres.")
    {
        Field<NonNullGraphType<StringGraphType>>("pseudonymPeriod").Description("Période de validité des pseudonymes (trimestre civil, ex. 2026-T4) : une personne garde le même pseudonyme dans ce trimestre seulement.").Resolve(c => c.Source.Period.Code);
        Field<ModelProvenanceType>("model").Description("Provenance du modèle (null si aucun modèle n'est chargé).").Resolve(c => c.Source.Model);
    }
}

public sealed class WaitingTimeType : ObjectGraphType<WaitingTimeGroup>
{
    public WaitingTimeType()
    {
        Name = "WaitingTime";
        Description = "Durée d'attente en cours (depuis la plus ancienne demande ouverte) des personnes en attente d'un type d'accompagnement.";
        Field<NonNullGraphType<KindOfSupportType>>("kind").Resolve(c => c.Source.Kind);
        Field<StringGraphType>("territory").Description("Territoire ; null pour tout le département.")
            .Resolve(c => c.Source.Territory == RiskIndicators.AllTerritories ? null : c.Source.Territory);
        Field(g => g.Persons).Description("Personnes en attente.");
        Field(g => g.Q1Days).Description("1er quartile, en jours : un quart des personnes attend depuis moins longtemps ou autant.");
        Field(g => g.MedianDays).Description("Médiane, en jours.");
        Field(g => g.Q3Days).Description("3e quartile, en jours : trois quarts des personnes attendent depuis moins longtemps ou autant.");
        Field(g => g.P90Days).Description("90e centile, en jours.");
    }
}

public sealed class OutcomeCountType : ObjectGraphType<OutcomeCount>
{
    public OutcomeCountType()
    {
        Name = "OutcomeCount";
        Description = "Admissions et refus (par un ESMS, ou déclinés par la personne) sur les 365 jours jusqu'à la date, par motif harmonisé.";
        Field<NonNullGraphType<CandidatureStatusType>>("status").Resolve(c => c.Source.Status);
        Field<CandidatureReasonType>("reason").Resolve(c => c.Source.Reason);
        Field(o => o.AnsStatus).Description("Code national du statut (ANS JDV_J252).");
        Field(o => o.AnsReason, nullable: true).Description("Code national du motif (ANS JDV_J251).");
        Field(o => o.Count);
    }
}

public sealed class IndicatorsType : ObjectGraphType<DepartmentIndicators>
{
    public IndicatorsType()
    {
        Name = "Indicators";
        Description = "Indicateurs de l'observatoire pour un département à une date, avec la provenance du modèle.";
        Field(i => i.Department);
        Field<NonNullGraphType<DateOnlyGraphType>>("date").Resolve(c => c.Source.Risk.Date);
        Field<NonNullGraphType<IntGraphType>>("distinctPersonsWaiting").Description("Personnes distinctes en attente (état actuel).").Resolve(c => (int)c.Source.Counts.Total().Persons);
        Field<NonNullGraphType<IntGraphType>>("listEntries").Description("Somme des longueurs des listes d'attente (état actuel).").Resolve(c => (int)c.Source.Counts.Total().Entries);
        Field<NonNullGraphType<IntGraphType>>("creton").Description("Personnes sous l'indicateur CRETON.").Resolve(c => c.Source.Risk.Creton);
        Field<NonNullGraphType<IntGraphType>>("transitionAge").Description("Personnes sous l'indicateur TRANSITION_AGE.").Resolve(c => c.Source.Risk.TransitionAge);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WaitingTimeType>>>>("waitingTimes").Description("Attente : quartiles, médiane et 90e centile par type d'accompagnement, par territoire et pour tout le département.").Resolve(c => c.Source.Risk.WaitingTimes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MonthCountType>>>>("admissionsByMonth").Description("Admissions par mois, les 12 mois jusqu'au mois de la date, le plus ancien d'abord (mois sans admission compris).").Resolve(c => c.Source.Risk.AdmissionsByMonth);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OutcomeCountType>>>>("outcomes").Description("Admissions et refus des 365 jours jusqu'à la date, par motif harmonisé.").Resolve(c => c.Source.Risk.Outcomes);
        Field<ModelProvenanceType>("model").Description("Provenance du modèle (null si aucun modèle n'est chargé).").Resolve(c => c.Source.Model);
    }
}

internal static class RiskFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<RuptureRiskConnectionType>>("ruptureRisks")
            .Description("Les personnes à risque de rupture, pseudonymisées, par probabilité décroissante. Rôles : observatory, territorial-staff (son territoire s'il en porte un), mdph-referent, admin (leur département).")
            .Argument<NonNullGraphType<StringGraphType>>("department", "Code du département (61, 2A…).")
            .Argument<StringGraphType>("territory", "Seulement ce territoire (code SIREN de l'EPCI, « ? » pour inconnu).")
            .Argument<ListGraphType<NonNullGraphType<RiskFlagType>>>("flags", "Seulement les personnes portant l'un de ces indicateurs.")
            .Argument<FloatGraphType>("minProbability", "Probabilité minimale (0 à 1).")
            .Paged()
            .ResolveAsync(async c => RuptureRiskConnection.Of(await Queries(c).ListAsync(QueryType.Department(c.GetArgument<string>("department")),
                new RiskFilter(c.GetArgument<string?>("territory"), [.. c.GetArgument<List<RiskFlag>?>("flags") ?? []], c.GetArgument("minProbability", 0.0)),
                c.After(), c.First()), c.After()));

        query.Field<NonNullGraphType<IndicatorsType>>("indicators")
            .Description("Indicateurs du département : personnes distinctes en attente et somme des listes, CRETON et TRANSITION_AGE, quartiles, médiane et 90e centile des attentes, admissions par mois, admissions et refus par motif. Rôles : observatory, territorial-staff, mdph-referent, admin (leur département).")
            .Argument<NonNullGraphType<StringGraphType>>("department", "Code du département (61, 2A…).")
            .Argument<DateOnlyGraphType>("date", "Date des durées d'attente et fin de la période de 365 jours des admissions et refus ; aujourd'hui par défaut.")
            .ResolveAsync(async c => await Queries(c).IndicatorsAsync(QueryType.Department(c.GetArgument<string>("department")),
                c.GetArgument<DateOnly?>("date") ?? ParisDate.Today(c.RequestServices!.GetRequiredService<TimeProvider>())));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<IndicatorSnapshotType>>>>("indicatorHistory")
            .Description($"L'évolution des indicateurs : l'instantané que la passe quotidienne enregistre chaque jour (personnes distinctes et inscriptions par type et par territoire, sans solution, CRETON, TRANSITION_AGE, quartiles d'attente par type, admissions), le plus ancien d'abord ; {SnapshotHistory.MaxDays} jours conservés. Rôles : observatory, territorial-staff, mdph-referent, admin (leur département).")
            .Argument<NonNullGraphType<StringGraphType>>("department", "Code du département (61, 2A…).")
            .Argument<IntGraphType>("days", $"Les N derniers jours jusqu'au plus récent instantané (1 à {SnapshotHistory.MaxDays}) ; 90 par défaut.")
            // The whole series is one read of one bounded grain state (at most MaxDays small snapshots, resolved in
            // memory): its days are not pages of work, so they do not multiply the cost of the fields asked for each day.
            .WithComplexityImpact(impact => new global::GraphQL.Validation.Complexity.FieldComplexityResult(100, 1))
            .ResolveAsync(async c => await Queries(c).HistoryAsync(QueryType.Department(c.GetArgument<string>("department")), c.GetArgument("days", 90)));
    }

    private static RiskQueries Queries(IResolveFieldContext c) => ActivatorUtilities.CreateInstance<RiskQueries>(c.RequestServices!);
}
