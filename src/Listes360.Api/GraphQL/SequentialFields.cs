using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;
using Listes360.Grains.Sequential;
using Listes360.Domain.Time;
using Listes360.Application.Sequential;

namespace Listes360.Api.GraphQL;

public sealed class WeekdayType : EnumerationGraphType<DayOfWeek>
{
    public WeekdayType()
    {
        Name = "Weekday";
        Description = "Jour de la semaine.";
    }
}

public sealed class DayPartType : EnumerationGraphType<DayPart>
{
    public DayPartType()
    {
        Name = "DayPart";
        Description = "Journée entière ou demi-journée (l'internat et l'accueil temporaire se comptent par journée entière).";
    }
}

public sealed class NeedUnitType : EnumerationGraphType<NeedUnit>
{
    public NeedUnitType()
    {
        Name = "NeedUnit";
        Description = "Unité du besoin : jours entiers (chaque jour dans un seul ESMS) ou demi-journées.";
    }
}

/// <summary>A (weekday, part) pair of a half-day mask.</summary>
public sealed record WeekSlot(DayOfWeek Weekday, DayPart Part);

public sealed class WeekSlotType : ObjectGraphType<WeekSlot>
{
    public WeekSlotType()
    {
        Name = "WeekSlot";
        Description = "Un jour de la semaine, entier ou une demi-journée.";
        Field(s => s.Weekday, type: typeof(NonNullGraphType<WeekdayType>));
        Field(s => s.Part, type: typeof(NonNullGraphType<DayPartType>));
    }
}

public sealed class WeekSlotInputType : InputObjectGraphType<WeekSlotInput>
{
    public WeekSlotInputType()
    {
        Name = "WeekSlotInput";
        Description = "Un jour de la semaine, entier (par défaut) ou une demi-journée.";
        Field<NonNullGraphType<WeekdayType>>("weekday");
        Field<DayPartType>("part").Description("FULL_DAY par défaut.");
    }
}

public sealed class AvailabilityDeclarationType : ObjectGraphType<AvailabilityDeclaration>
{
    public AvailabilityDeclarationType()
    {
        Name = "AvailabilityDeclaration";
        Description = "Des places déclarées libres par la direction d'un ESMS pour des accueils séquentiels.";
        Field(d => d.Id).Description("Identifiant (pour retirer la déclaration).");
        Field(d => d.Modality, type: typeof(NonNullGraphType<ModalityType>));
        SequentialFields.AddSlots(this, d => d.HalfDays);
        Field(d => d.Places).Description("Places libres sur chacun de ces jours.");
        Field(d => d.From, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("À partir du (inclus).");
        Field(d => d.To, type: typeof(DateOnlyGraphType)).Description("Jusqu'au (inclus) ; absent si sans fin.");
        Field(d => d.DeclaredBy);
        Field(d => d.DeclaredAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
    }
}

public sealed class SlotReservationType : ObjectGraphType<SlotReservation>
{
    public SlotReservationType()
    {
        Name = "SlotReservation";
        Description = "Des places prises par une proposition d'accueil séquentiel (retenues quelques minutes pendant la proposition, puis engagées tant que l'offre court).";
        Field(r => r.ProposalId);
        Field<NonNullGraphType<IdGraphType>>("personId").Description("Identifiant pseudonyme de la personne.").Resolve(c => c.Source.Person.Value);
        Field(r => r.Modality, type: typeof(NonNullGraphType<ModalityType>));
        SequentialFields.AddSlots(this, r => r.HalfDays);
        Field(r => r.From, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(r => r.Until, type: typeof(DateOnlyGraphType)).Description("Fin de la disponibilité utilisée ; absente si sans fin.");
        Field<NonNullGraphType<BooleanGraphType>>("held").Description("Vrai pendant la proposition (retenue), faux une fois engagée.").Resolve(c => c.Source.IsHold);
    }
}

public sealed class FreeSlotType : ObjectGraphType<FreeSlots>
{
    public FreeSlotType()
    {
        Name = "FreeSlot";
        Description = "Places libres d'une modalité sur une demi-journée de la semaine.";
        Field(f => f.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field<NonNullGraphType<WeekdayType>>("weekday").Resolve(c => WeekSlots.Week[c.Source.HalfDay / 2]);
        Field<NonNullGraphType<DayPartType>>("part").Resolve(c => c.Source.HalfDay % 2 == 0 ? DayPart.Morning : DayPart.Afternoon);
        Field<NonNullGraphType<StringGraphType>>("label").Resolve(c => WeekSlots.HalfDayLabel(c.Source.HalfDay));
        Field(f => f.Places);
    }
}

public sealed class EsmsAvailabilityType : ObjectGraphType<EsmsAvailabilityView>
{
    public EsmsAvailabilityType()
    {
        Name = "EsmsAvailability";
        Description = "Disponibilités d'un ESMS pour des accueils séquentiels, à une date.";
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(a => a.Date, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Date à laquelle les places libres sont calculées.");
        Field(a => a.Declarations, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AvailabilityDeclarationType>>>));
        Field(a => a.Reservations, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<SlotReservationType>>>));
        Field(a => a.Free, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<FreeSlotType>>>))
            .Description("Places libres pour un accueil commençant à cette date (les propositions qui commencent plus tard comptent).");
        Field(a => a.Version);
    }
}

public sealed class SequentialNeedsType : ObjectGraphType<SequentialNeeds>
{
    public SequentialNeedsType()
    {
        Name = "SequentialNeeds";
        Description = "Besoin d'accueil séquentiel d'une personne.";
        Field(n => n.Amount).Description("Nombre de jours ou de demi-journées par semaine.");
        Field(n => n.Unit, type: typeof(NonNullGraphType<NeedUnitType>));
        Field(n => n.HalfDays).Description("Le besoin en demi-journées par semaine.");
        Field(n => n.Label);
        Field(n => n.Modalities, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ModalityType>>>)).Description("Modalités acceptables.");
        Field(n => n.MaxDistanceKm, nullable: true).Description("Distance maximale du domicile (km).");
        Field(n => n.Territories, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>)).Description("Territoires acceptables (codes SIREN d'EPCI).");
        Field(n => n.From, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("À partir du.");
        Field(n => n.UpdatedBy);
        Field(n => n.UpdatedAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
    }
}

public sealed class CombinationPartType : ObjectGraphType<CombinationPart>
{
    public CombinationPartType()
    {
        Name = "CombinationPart";
        Description = "Un ESMS d'une combinaison : modalité, jours, distance du domicile.";
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(p => p.EsmsName);
        Field(p => p.Territory, nullable: true);
        Field(p => p.Modality, type: typeof(NonNullGraphType<ModalityType>));
        SequentialFields.AddSlots(this, p => p.HalfDays);
        Field(p => p.Trips).Description("Déplacements par semaine (jours où la personne s'y rend).");
        Field<NonNullGraphType<FloatGraphType>>("distanceKm").Description("Distance du domicile (km).").Resolve(c => c.Source.Distance.Km);
        Field<NonNullGraphType<BooleanGraphType>>("distanceEstimated")
            .Description("Vrai quand la distance est estimée par territoire (même territoire : 10 km, sinon 35 km), faute de coordonnées.")
            .Resolve(c => c.Source.Distance.Estimated);
        Field(p => p.Score).Description("Score de la personne pour cet ESMS.");
    }
}

public sealed class SequentialCombinationType : ObjectGraphType<SequentialCombination>
{
    public SequentialCombinationType()
    {
        Name = "SequentialCombination";
        Description = "Une combinaison d'ESMS qui couvre la semaine d'une personne.";
        Field<IdGraphType>("personId").Description("Identifiant pseudonyme de la personne ; null pour une direction d'ESMS, qui ne reçoit que la référence.").Resolve(c => c.Source.Person.Value);
        Field<StringGraphType>("reference").Description("Référence de la personne propre à l'ESMS interrogé (sequentialCandidatesForEsms) : une direction la transmet à l'équipe territoriale, qui la retrouve dans la même recherche ; absente de sequentialSearch.").Resolve(c => c.Source.Reference);
        Field(c => c.Score).Description("Score (moyenne des scores de la personne dans chaque ESMS) ; le plus haut d'abord.");
        Field(c => c.Structures).Description("Nombre d'ESMS.");
        Field(c => c.WeeklyDistanceKm).Description("Kilomètres par semaine (aller), somme des distances par déplacement.");
        Field(c => c.HalfDaysCovered).Description("Demi-journées couvertes par semaine.");
        Field(c => c.Parts, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CombinationPartType>>>));
    }
}

public sealed class SequentialSearchResultType : ObjectGraphType<SequentialSearchResult>
{
    public SequentialSearchResultType()
    {
        Name = "SequentialSearchResult";
        Description = "Combinaisons classées par score puis simplicité (moins de structures, moins de kilomètres).";
        Field(r => r.Combinations, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<SequentialCombinationType>>>));
        Field(r => r.CandidatesConsidered).Description("Personnes en attente, avec un besoin déclaré, examinées.");
        Field(r => r.CandidatesCovered).Description("Dont personnes dont la semaine peut être couverte.");
        Field(r => r.TotalCombinations).Description("Combinaisons trouvées (avant la limite « first »).");
        Field(r => r.ScoreName).Description("Ce que mesure le score : la grille d'admission harmonisée en vigueur à la date (avec sa version), ou l'ancienneté de la demande quand aucune grille n'est en vigueur.");
    }
}

public sealed class ProposalPartType : ObjectGraphType<ProposalPart>
{
    public ProposalPartType()
    {
        Name = "ProposalPart";
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(p => p.Modality, type: typeof(NonNullGraphType<ModalityType>));
        SequentialFields.AddSlots(this, p => p.HalfDays);
    }
}

public sealed class SequentialProposalType : ObjectGraphType<SequentialProposal>
{
    public SequentialProposalType()
    {
        Name = "SequentialProposal";
        Description = "Une proposition d'accueil séquentiel : une candidature OFFERED dans chaque ESMS.";
        Field(p => p.Id);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.Person.Value);
        Field(p => p.From, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(p => p.Parts, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ProposalPartType>>>));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("candidatureIds").Resolve(c => c.Source.Candidatures.Select(id => id.Value));
        Field(p => p.At, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(p => p.By);
    }
}

public sealed class DeclareAvailabilityInputType : InputObjectGraphType<DeclareAvailabilityInput>
{
    public DeclareAvailabilityInputType()
    {
        Name = "DeclareAvailabilityInput";
        Description = "Des places libres pour des accueils séquentiels.";
        Field<NonNullGraphType<StringGraphType>>("finess");
        Field<NonNullGraphType<ModalityType>>("modality");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeekSlotInputType>>>>("slots").Description("Jours (ou demi-journées) de la semaine.");
        Field<NonNullGraphType<IntGraphType>>("places").Description("Places libres sur chacun de ces jours (au plus la capacité déclarée, toutes déclarations comprises).");
        Field<DateOnlyGraphType>("from").Description("À partir du ; aujourd'hui par défaut.");
        Field<DateOnlyGraphType>("to").Description("Jusqu'au (inclus) ; sans fin par défaut.");
    }
}

public sealed class SetSequentialNeedsInputType : InputObjectGraphType<SetSequentialNeedsInput>
{
    public SetSequentialNeedsInputType()
    {
        Name = "SetSequentialNeedsInput";
        Description = "Le besoin d'accueil séquentiel d'une personne.";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<IntGraphType>>("amount").Description("Jours (1 à 7) ou demi-journées (1 à 14) par semaine.");
        Field<NeedUnitType>("unit").Description("DAYS par défaut.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ModalityType>>>>("modalities").Description("Modalités acceptables.");
        Field<FloatGraphType>("maxDistanceKm").Description("Distance maximale du domicile (1 à 200 km).");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("territories").Description("Territoires acceptables (codes SIREN d'EPCI). Sans distance ni territoire : tout le département.");
        Field<DateOnlyGraphType>("from").Description("À partir du ; aujourd'hui par défaut.");
    }
}

public sealed class ProposalPartInputType : InputObjectGraphType<ProposalPartInput>
{
    public ProposalPartInputType()
    {
        Name = "ProposalPartInput";
        Field<NonNullGraphType<StringGraphType>>("finess");
        Field<NonNullGraphType<ModalityType>>("modality");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeekSlotInputType>>>>("slots");
    }
}

public sealed class ProposeSequentialPlacementInputType : InputObjectGraphType<ProposeSequentialPlacementInput>
{
    public ProposeSequentialPlacementInputType()
    {
        Name = "ProposeSequentialPlacementInput";
        Description = "Une combinaison à proposer (telle que la recherche la renvoie).";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProposalPartInputType>>>>("parts");
        Field<DateOnlyGraphType>("from").Description("Début de l'accueil ; aujourd'hui par défaut.");
    }
}

public sealed class WithdrawAvailabilityInputType : InputObjectGraphType<WithdrawAvailabilityInput>
{
    public WithdrawAvailabilityInputType()
    {
        Name = "WithdrawAvailabilityInput";
        Field<NonNullGraphType<StringGraphType>>("finess");
        Field<NonNullGraphType<StringGraphType>>("declarationId").Description("La déclaration à retirer.");
    }
}

public sealed class RemoveSequentialNeedsInputType : InputObjectGraphType<RemoveSequentialNeedsInput>
{
    public RemoveSequentialNeedsInputType()
    {
        Name = "RemoveSequentialNeedsInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
    }
}

internal static class SequentialFields
{
    /// <summary>The <c>slots</c> and <c>label</c> fields of a half-day mask.</summary>
    public static void AddSlots<T>(ObjectGraphType<T> type, Func<T, int> mask)
    {
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WeekSlotType>>>>("slots").Description("Jours de la semaine.")
            .Resolve(c => WeekSlots.Parts(mask(c.Source)).Select(p => new WeekSlot(p.Day, p.Part)));
        type.Field<NonNullGraphType<StringGraphType>>("days").Description("Les mêmes jours, en clair (« lundi, mardi matin »).")
            .Resolve(c => WeekSlots.Label(mask(c.Source)));
    }

    public static void AddQueries(ObjectGraphType query, TimeProvider clock)
    {
        DateOnly Today() => ParisDate.Today(clock);

        query.Field<NonNullGraphType<EsmsAvailabilityType>>("esmsAvailability")
            .Description("Disponibilités d'un ESMS pour des accueils séquentiels. Rôles : esms-director (son ESMS), territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("finess")
            .Argument<DateOnlyGraphType>("date", "Date du calcul des places libres ; aujourd'hui par défaut.")
            .ResolveAsync(async c => await Availability(c, c.GetArgument<string>("finess")).GetAsync(c.GetArgument<DateOnly?>("date") ?? Today()));

        query.Field<NonNullGraphType<SequentialSearchResultType>>("sequentialSearch")
            .Description("Les personnes en attente dont la semaine peut être couverte par une combinaison d'au plus K ESMS éligibles, classées. Rôles : territorial-staff, admin (leur département).")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .Argument<StringGraphType>("territory", "Seulement les personnes résidant dans ce territoire (code SIREN de l'EPCI).")
            .Argument<DateOnlyGraphType>("date", "Date de début envisagée ; aujourd'hui par défaut.")
            .Argument<IntGraphType>("maxStructures", $"K : au plus tant d'ESMS par combinaison (1 à {SequentialQuery.MaxMaxStructures}, {SequentialQuery.DefaultMaxStructures} par défaut).")
            .Argument<IntGraphType>("first", "Nombre de combinaisons (1 à 200, 50 par défaut).")
            .ResolveAsync(async c => await c.Grains().GetGrain<ISequentialSearchGrain>(QueryType.Department(c.GetArgument<string>("department")))
                .SearchAsync(c.GetArgument<DateOnly?>("date") ?? Today(), c.GetArgument<string?>("territory"),
                    c.GetArgument("maxStructures", SequentialQuery.DefaultMaxStructures), c.GetArgument("first", 50)));

        query.Field<NonNullGraphType<SequentialSearchResultType>>("sequentialCandidatesForEsms")
            .Description("La question inverse : les personnes qui pourraient utiliser les places libres de cet ESMS dans une combinaison. Rôles : esms-director (son ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("finess")
            .Argument<DateOnlyGraphType>("date", "Date de début envisagée ; aujourd'hui par défaut.")
            .Argument<IntGraphType>("maxStructures", $"K (1 à {SequentialQuery.MaxMaxStructures}, {SequentialQuery.DefaultMaxStructures} par défaut).")
            .Argument<IntGraphType>("first", "Nombre de combinaisons (1 à 200, 50 par défaut).")
            .ResolveAsync(async c => await Availability(c, c.GetArgument<string>("finess")).FindCandidatesAsync(
                c.GetArgument<DateOnly?>("date") ?? Today(), c.GetArgument("maxStructures", SequentialQuery.DefaultMaxStructures), c.GetArgument("first", 50)));

        query.Field<SequentialNeedsType>("sequentialNeeds")
            .Description("Le besoin d'accueil séquentiel d'une personne ; null s'il n'est pas déclaré. Rôles : territorial-staff, mdph-referent, admin ; esms-director si la personne a une candidature dans un de ses ESMS.")
            .Argument<NonNullGraphType<IdGraphType>>("personId")
            .ResolveAsync(async c => await Person(c, c.GetArgument<string>("personId")).GetSequentialNeedsAsync());
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<DeclareAvailabilityPayloadType>>("declareAvailability")
            .Description("Déclare des places libres pour des accueils séquentiels ; refusé au-delà de la capacité déclarée de la modalité. Rôles : esms-director (son ESMS), admin.")
            .Argument<NonNullGraphType<DeclareAvailabilityInputType>>("input")
            .ResolveAsync(c => c.RunAsync<DeclareAvailability, DeclareAvailabilityInput, AvailabilityResult>());

        mutation.Field<NonNullGraphType<WithdrawAvailabilityPayloadType>>("withdrawAvailability")
            .Description("Retire une déclaration de places libres ; refusé tant qu'une offre en cours l'utilise. Rôles : esms-director (son ESMS), admin.")
            .Argument<NonNullGraphType<WithdrawAvailabilityInputType>>("input")
            .ResolveAsync(c => c.RunAsync<WithdrawAvailability, WithdrawAvailabilityInput, AvailabilityResult>());

        mutation.Field<NonNullGraphType<SetSequentialNeedsPayloadType>>("setSequentialNeeds")
            .Description("Déclare le besoin d'accueil séquentiel d'une personne. Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<SetSequentialNeedsInputType>>("input")
            .ResolveAsync(c => c.RunAsync<SetSequentialNeeds, SetSequentialNeedsInput, SequentialNeedsResult>());

        mutation.Field<NonNullGraphType<RemoveSequentialNeedsPayloadType>>("removeSequentialNeeds")
            .Description("Retire le besoin d'accueil séquentiel d'une personne (elle sort de la recherche). Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<RemoveSequentialNeedsInputType>>("input")
            .ResolveAsync(c => c.RunAsync<RemoveSequentialNeeds, RemoveSequentialNeedsInput, SequentialNeedsResult>());

        mutation.Field<NonNullGraphType<ProposeSequentialPlacementPayloadType>>("proposeSequentialPlacement")
            .Description("Propose une combinaison : une candidature OFFERED dans chaque ESMS, tout ou rien ; si un ESMS refuse (place prise entre-temps : CONFLICT), aucune offre n'est faite et aucune place n'est retenue. Rôles : territorial-staff, admin.")
            .Argument<NonNullGraphType<ProposeSequentialPlacementInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ProposeSequentialPlacement, ProposeSequentialPlacementInput, ProposalResult>());
    }

    private static IEsmsAvailabilityGrain Availability(IResolveFieldContext c, string? finess) =>
        c.Grains().GetGrain<IEsmsAvailabilityGrain>(FinessNumber.Parse(finess).Value);

    private static IPersonSequentialGrain Person(IResolveFieldContext c, string? personId) =>
        c.Grains().GetGrain<IPersonSequentialGrain>(PersonId.Parse(personId).Value);
}
