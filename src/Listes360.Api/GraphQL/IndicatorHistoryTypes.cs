using GraphQL.Types;
using Listes360.Domain.Observatory;
using Listes360.Domain.Risk;

namespace Listes360.Api.GraphQL;

public sealed class MonthCountType : ObjectGraphType<MonthCount>
{
    public MonthCountType()
    {
        Name = "MonthCount";
        Description = "Admissions d'un mois civil.";
        Field(m => m.Month).Description("Le mois (« 2026-11 »).");
        Field(m => m.Count).Description("Admissions enregistrées ce mois-là.");
    }
}

public sealed class SnapshotCountsType : ObjectGraphType<SnapshotCounts>
{
    public SnapshotCountsType()
    {
        Name = "SnapshotCounts";
        Description = "Personnes distinctes en attente, inscriptions sur les listes et personnes à domicile sans solution, un jour donné.";
        Field<NonNullGraphType<IntGraphType>>("distinctPersonsWaiting").Description("Personnes distinctes en attente.").Resolve(c => (int)c.Source.Persons);
        Field<NonNullGraphType<IntGraphType>>("listEntries").Description("Somme des longueurs des listes d'attente.").Resolve(c => (int)c.Source.Entries);
        Field<NonNullGraphType<IntGraphType>>("withoutSolution").Description("Personnes à domicile sans solution.").Resolve(c => (int)c.Source.WithoutSolution);
    }
}

public sealed class WaitingQuartilesType : ObjectGraphType<WaitingQuartiles>
{
    public WaitingQuartilesType()
    {
        Name = "WaitingQuartiles";
        Description = "Durée d'attente des personnes attendant un type d'accompagnement, en jours (rang le plus proche).";
        Field(w => w.Persons).Description("Personnes en attente.");
        Field(w => w.Q1Days).Description("1er quartile, en jours.");
        Field(w => w.MedianDays).Description("Médiane, en jours.");
        Field(w => w.Q3Days).Description("3e quartile, en jours.");
        Field(w => w.P90Days).Description("90e centile, en jours.");
    }
}

public sealed class KindSnapshotType : ObjectGraphType<KindSnapshot>
{
    public KindSnapshotType()
    {
        Name = "KindSnapshot";
        Description = "Un type d'accompagnement dans l'instantané d'un jour.";
        Field<NonNullGraphType<KindOfSupportType>>("kind").Resolve(c => c.Source.Kind);
        Field<NonNullGraphType<SnapshotCountsType>>("counts").Resolve(c => c.Source.Counts);
        Field<WaitingQuartilesType>("waiting").Description("Durée d'attente ; null si personne n'attend ce type avec une demande datée.").Resolve(c => c.Source.Waiting);
    }
}

public sealed class TerritorySnapshotType : ObjectGraphType<TerritorySnapshot>
{
    public TerritorySnapshotType()
    {
        Name = "TerritorySnapshot";
        Description = "Un territoire dans l'instantané d'un jour (personnes distinctes, tous types d'accompagnement confondus).";
        Field<StringGraphType>("territory").Description("Code SIREN de l'EPCI ; null pour une commune inconnue ou hors département.")
            .Resolve(c => c.Source.Territory == Domain.Projections.WaitingKey.UnknownTerritory ? null : c.Source.Territory);
        Field<NonNullGraphType<SnapshotCountsType>>("counts").Resolve(c => c.Source.Counts);
    }
}

public sealed class IndicatorSnapshotType : ObjectGraphType<IndicatorSnapshot>
{
    public IndicatorSnapshotType()
    {
        Name = "IndicatorSnapshot";
        Description = "Les indicateurs de l'observatoire d'un département un jour donné, tels que la passe quotidienne les a enregistrés : des comptes seulement.";
        Field<NonNullGraphType<DateOnlyGraphType>>("date").Description("Jour de l'instantané (heure de Paris).").Resolve(c => c.Source.Date);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("takenAt").Description("Quand il a été pris (fin de la passe quotidienne).").Resolve(c => c.Source.TakenAt);
        Field<NonNullGraphType<SnapshotCountsType>>("total").Description("Le département : personnes distinctes, inscriptions, sans solution.").Resolve(c => c.Source.Total);
        Field(s => s.Creton).Description("Personnes sous l'indicateur CRETON.");
        Field(s => s.TransitionAge).Description("Personnes sous l'indicateur TRANSITION_AGE.");
        Field(s => s.AdmissionsInMonth).Description("Admissions du mois civil de l'instantané, jusqu'à sa date.");
        Field(s => s.Admissions365).Description("Admissions des 365 jours jusqu'à sa date.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindSnapshotType>>>>("byKind").Description("Par type d'accompagnement.").Resolve(c => c.Source.Kinds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TerritorySnapshotType>>>>("byTerritory").Description("Par territoire.").Resolve(c => c.Source.Territories);
    }
}
