using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Common;
using Listes360.Grains.Grid;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Domain.Time;
using Listes360.Domain.Paging;
using Listes360.Application.Grid;
using Listes360.Application.Persons;

namespace Listes360.Api.GraphQL;

public sealed class GridBandType : ObjectGraphType<GridBand>
{
    public GridBandType()
    {
        Name = "GridBand";
        Description = "Tranche d'un critère numérique : de « from » inclus à « to » exclu.";
        Field(b => b.From);
        Field(b => b.To, nullable: true).Description("Fin de tranche (exclue) ; absente si sans fin.");
        Field(b => b.Points);
    }
}

public sealed class GridCriterionType : ObjectGraphType<GridCriterion>
{
    public GridCriterionType()
    {
        Name = "GridCriterion";
        Description = "Un critère de la grille : le fait lu et les points qu'il donne.";
        Field(c => c.Id).Description("Identifiant stable (ex. CRETON).");
        Field(c => c.Label);
        Field<NonNullGraphType<StringGraphType>>("fact").Description("Le fait lu (withoutSolutionMonths, creton, urgency, carerExhausted, carerAge, placedAwayWantingBack, requestMonths, distanceKm, refusedSuitableOffers).")
            .Resolve(c => c.Source.Fact.Name());
        Field(c => c.Points, nullable: true).Description("Points fixes (fait oui/non).");
        Field(c => c.Base, nullable: true).Description("Points de base quand le fait s'applique (fait numérique).");
        Field(c => c.PerUnit, nullable: true).Description("Points par tranche de « every » unités.");
        Field(c => c.Every).Description("Unités par tranche de points.");
        Field(c => c.Cap, nullable: true).Description("Plafond (en valeur absolue).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GridBandType>>>>("bands").Resolve(c => c.Source.Bands.IsDefault ? [] : c.Source.Bands);
        Field(c => c.Rationale, nullable: true).Description("Pourquoi ce critère et ces points.");
    }
}

public sealed class CriteriaGridType : ObjectGraphType<CriteriaGrid>
{
    public CriteriaGridType()
    {
        Name = "CriteriaGrid";
        Description = "Une version publiée de la grille départementale de critères d'admission.";
        Field(g => g.Department);
        Field(g => g.Version).Description("Numéro de version (1, 2, …), jamais réutilisé.");
        Field(g => g.EffectiveFrom, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Premier jour où elle classe.");
        Field(g => g.Label);
        Field(g => g.PublishedAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(g => g.PublishedBy, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<GridCriterionType>>>>("criteria").Resolve(c => c.Source.Criteria);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CandidatureStatusType>>>>("rankedStatuses")
            .Description("Statuts classés (les autres candidatures ouvertes sont listées à part avec le motif).").Resolve(c => c.Source.Eligibility.RankedStatuses);
        Field<NonNullGraphType<IntGraphType>>("offerAnswerDeadlineDays").Description("Jours pour répondre à une place proposée.").Resolve(c => c.Source.Offers.AnswerDeadlineDays);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CandidatureReasonType>>>>("suitableRefusalReasons")
            .Description("Motifs de refus d'une offre qui comptent comme refus d'une offre adaptée.").Resolve(c => c.Source.Offers.SuitableRefusalReasons);
        Field<IntGraphType>("reviewAfterRefusals").Description("Nombre de refus d'offres adaptées à partir duquel le staff territorial revoit la situation.")
            .Resolve(c => c.Source.Offers.ReviewAfterRefusals);
        Field<NonNullGraphType<StringGraphType>>("document").Description("Le document JSON publié.").Resolve(c => c.Source.Json);
        NodeFields.Implement(this, GlobalId.CriteriaGrid, g => $"{g.Department}/{g.Version}");
    }
}

public sealed class GridVersionType : ObjectGraphType<CriteriaGrid>
{
    public GridVersionType()
    {
        Name = "GridVersion";
        Description = "Une version publiée de la grille, sans ses critères (lire le détail avec grid(version: …)).";
        Field(g => g.Version);
        Field(g => g.EffectiveFrom, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Premier jour où elle classe.");
        Field(g => g.Label);
        Field(g => g.PublishedAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(g => g.PublishedBy, nullable: true);
    }
}

public sealed class GridPublicationType : ObjectGraphType<GridPublication>
{
    public GridPublicationType()
    {
        Name = "GridPublication";
        Description = "Une version publiée et le reclassement de tous les ESMS du département qu'elle a provoqué.";
        Field(p => p.Grid, type: typeof(NonNullGraphType<CriteriaGridType>));
        Field(p => p.RankingsRefreshed).Description("Classements (ESMS × modalité) recalculés.");
        Field(p => p.RankingsFailed).Description("Classements à recalculer plus tard (ils le seront à leur prochaine lecture).");
        Field(p => p.CandidatesRanked).Description("Candidatures classées au total.");
    }
}

public sealed class ScoreLineType : ObjectGraphType<ScoreLine>
{
    public ScoreLineType()
    {
        Name = "ScoreLine";
        Description = "Les points d'un critère et le fait utilisé, en clair.";
        Field(l => l.CriterionId);
        Field(l => l.Label);
        Field(l => l.Points);
        Field(l => l.Fact).Description("Le fait utilisé, par exemple « sans solution depuis 14 mois », « aidant de 78 ans ».");
    }
}

public sealed class EligibilityRefusalType : ObjectGraphType<EligibilityRefusal>
{
    public EligibilityRefusalType()
    {
        Name = "EligibilityRefusal";
        Description = "Pourquoi une candidature ouverte n'est pas classée.";
        Field(r => r.Code);
        Field(r => r.Message);
        Field(r => r.Field);
    }
}

public sealed class RankedCandidateType : ObjectGraphType<RankedCandidate>
{
    public RankedCandidateType()
    {
        Name = "RankedCandidate";
        Description = "Un candidat éligible classé, avec le détail de son score.";
        Field(e => e.Position).Description("1 pour le premier.");
        Field<NonNullGraphType<IdGraphType>>("candidatureId").Resolve(c => c.Source.CandidatureId.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.PersonId.Value);
        Field<PersonType>("person").Description("La personne, identité comprise (lecture tracée ; lue une fois par requête pour toutes les lignes qui la nomment). Rôles et refus : ceux du champ person.")
            .Resolve(c => c.Loaders().Person(c.Source.PersonId));
        Field(e => e.RequestDate, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(e => e.Status, type: typeof(NonNullGraphType<CandidatureStatusType>));
        Field<NonNullGraphType<IntGraphType>>("score").Description("Somme des points du détail.").Resolve(c => c.Source.Score.Total);
        Field<NonNullGraphType<IntGraphType>>("gridVersion").Resolve(c => c.Source.Score.GridVersion);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScoreLineType>>>>("breakdown").Description("Un détail par critère de la grille.").Resolve(c => c.Source.Score.Lines);
        Field(e => e.OfferDeadline, type: typeof(DateOnlyGraphType)).Description("Place proposée : dernier jour pour répondre.");
        Field(e => e.OfferOverdue).Description("Le délai de réponse est dépassé : une décision doit être enregistrée (rien n'est décidé automatiquement).");
        Field(e => e.ReviewRequired).Description("La grille demande une revue par le staff territorial (refus d'offres adaptées).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("notices").Resolve(c => c.Source.Notices.IsDefault ? [] : c.Source.Notices);
    }
}

public sealed class RankedCandidateEdgeType() : EdgeGraphType<RankedCandidate, RankedCandidateType>("RankedCandidateEdge", "Un candidat classé et son curseur (son rang).");

public sealed class RankedCandidateConnectionType() : ConnectionGraphType<RankedCandidate, RankedCandidateEdgeType>("RankedCandidateConnection",
    "Une page d'un classement, par rang.", "Nombre de candidats éligibles classés.")
{
    /// <summary>The sort key of a ranked candidate: its rank, zero-padded so that ordinal order is rank order.</summary>
    public static string Key(RankedCandidate entry) => entry.Position.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class ExcludedCandidateType : ObjectGraphType<ExcludedCandidate>
{
    public ExcludedCandidateType()
    {
        Name = "ExcludedCandidate";
        Description = "Une candidature ouverte non classée, et pourquoi.";
        Field<NonNullGraphType<IdGraphType>>("candidatureId").Resolve(c => c.Source.CandidatureId.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.PersonId.Value);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EligibilityRefusalType>>>>("reasons").Resolve(c => c.Source.Reasons);
    }
}

public sealed class RankingType : ObjectGraphType<RankingResult>
{
    public RankingType()
    {
        Name = "Ranking";
        Description = "Classement harmonisé d'un ESMS pour une modalité, à une date : éligibilité d'abord, puis score, date de demande, identifiant.";
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(r => r.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(r => r.Date, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(r => r.GridVersion).Description("Version de la grille appliquée (celle en vigueur à cette date).");
        Field<NonNullGraphType<IntGraphType>>("eligibleCount").Description("Nombre de candidats éligibles classés.").Resolve(c => c.Source.Entries.Length);
        Field<NonNullGraphType<RankedCandidateConnectionType>>("entries")
            .Description("Les candidats classés, par rang : une page de « first » candidats après le curseur « after » (le rang du candidat qu'il désigne).")
            .Paged()
            .Resolve(c => Connections.Of(c.Source.Entries, RankedCandidateConnectionType.Key, c.After(), c.First()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExcludedCandidateType>>>>("excluded").Resolve(c => c.Source.Excluded);
    }
}

public sealed class RankChangeType : EnumerationGraphType<RankChange>
{
    public RankChangeType()
    {
        Name = "RankChange";
        Description = "Ce que la grille préparée change au rang d'une candidature parmi les premiers : SAME (même rang), UP (monte), DOWN (descend), ENTERS_TOP (entre parmi les premiers), LEAVES_TOP (en sort).";
    }
}

public sealed class CriterionPointsChangeType : ObjectGraphType<CriterionPointsChange>
{
    public CriterionPointsChangeType()
    {
        Name = "CriterionPointsChange";
        Description = "Les points d'un critère avec la grille en vigueur et avec la grille préparée.";
        Field(c => c.CriterionId);
        Field(c => c.Label);
        Field(c => c.Before, nullable: true).Description("Points avec la grille en vigueur ; absents si elle n'a pas ce critère ou ne classe pas la candidature.");
        Field(c => c.After, nullable: true).Description("Points avec la grille préparée ; absents si elle n'a pas ce critère ou ne classe pas la candidature.");
    }
}

public sealed class RankingPreviewLineType : ObjectGraphType<RankingPreviewLine>
{
    public RankingPreviewLineType()
    {
        Name = "RankingPreviewLine";
        Description = "Une candidature parmi les premiers avec l'une ou l'autre grille : son rang, ses points et leur changement.";
        Field<NonNullGraphType<IdGraphType>>("candidatureId").Resolve(c => c.Source.CandidatureId.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.PersonId.Value);
        Field<PersonType>("person").Description("La personne, identité comprise (lecture tracée ; lue une fois par requête). Rôles et refus : ceux du champ person.")
            .Resolve(c => c.Loaders().Person(c.Source.PersonId));
        Field(l => l.RankBefore, nullable: true).Description("Rang avec la grille en vigueur ; absent si elle ne classe pas la candidature.");
        Field(l => l.RankAfter, nullable: true).Description("Rang avec la grille préparée ; absent si elle ne classe pas la candidature.");
        Field(l => l.Change, type: typeof(NonNullGraphType<RankChangeType>));
        Field(l => l.TotalBefore, nullable: true);
        Field(l => l.TotalAfter, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CriterionPointsChangeType>>>>("criteria").Resolve(c => c.Source.Criteria);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("notRankedBecause").Resolve(c => c.Source.NotRankedBecause.IsDefault ? [] : c.Source.NotRankedBecause);
    }
}

public sealed class RankingPreviewType : ObjectGraphType<RankingPreview>
{
    public RankingPreviewType()
    {
        Name = "RankingPreview";
        Description = "Les premiers du classement d'aujourd'hui d'un ESMS pour une modalité, avec la grille en vigueur et avec une grille préparée (non publiée, comme si elle était en vigueur) ; rien n'est enregistré.";
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(p => p.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(p => p.Date, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(p => p.Top).Description("Nombre de premiers comparés.");
        Field(p => p.CurrentVersion).Description("Version de la grille en vigueur.");
        Field(p => p.DraftVersion).Description("Version que la grille préparée prendrait si elle était publiée maintenant.");
        Field(p => p.CurrentRanked).Description("Candidats classés avec la grille en vigueur.");
        Field(p => p.DraftRanked).Description("Candidats classés avec la grille préparée.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RankedCandidateType>>>>("currentTop").Resolve(c => c.Source.CurrentTop);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RankedCandidateType>>>>("draftTop").Resolve(c => c.Source.DraftTop);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RankingPreviewLineType>>>>("lines")
            .Description("Les candidatures des deux tops : par rang avec la grille préparée, puis celles qui en sortent.").Resolve(c => c.Source.Lines);
    }
}

public sealed class SimilarRequestsType : ObjectGraphType<WaitingTime>
{
    public SimilarRequestsType()
    {
        Name = "SimilarRequests";
        Description = "Les demandes semblables (même type d'accompagnement, même territoire d'ESMS) qui ont abouti à une admission.";
        Field(w => w.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(w => w.Territory, nullable: true).Description("Territoire de l'ESMS (code SIREN de l'EPCI).");
        Field(w => w.Admissions).Description("Nombre d'admissions comparables.");
        Field(w => w.MedianDays, nullable: true).Description("Attente médiane en jours entre la demande et l'admission ; absente sans admission comparable.");
    }
}

public sealed class CandidaturePositionType : ObjectGraphType<CandidaturePosition>
{
    public CandidaturePositionType()
    {
        Name = "CandidaturePosition";
        Description = "Où en est la candidature dans le classement de son ESMS aujourd'hui (à la façon de la cotation du logement social).";
        Field(p => p.Date, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(p => p.GridVersion);
        Field(p => p.Position, nullable: true).Description("Rang parmi les candidats éligibles (1 pour le premier) ; absent si non classée.");
        Field(p => p.EligibleCandidates).Description("Nombre de candidats éligibles classés.");
        Field<IntGraphType>("score").Resolve(c => c.Source.Entry?.Score.Total);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScoreLineType>>>>("breakdown").Resolve(c => c.Source.Entry?.Score.Lines ?? []);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EligibilityRefusalType>>>>("notRankedBecause").Resolve(c => c.Source.NotRankedBecause);
        Field(p => p.SimilarRequests, type: typeof(NonNullGraphType<SimilarRequestsType>));
    }
}

public sealed class UrgencySourceType : EnumerationGraphType<UrgencySource>
{
    public UrgencySourceType()
    {
        Name = "UrgencySource";
        Description = "Qui signale l'urgence : le staff territorial de la communauté 360 ou un PAG de la MDPH.";
    }
}

public sealed class UrgencyType : ObjectGraphType<UrgencyFlag>
{
    public UrgencyType()
    {
        Name = "Urgency";
        Description = "Urgence signalée sur la situation de la personne (lue par la grille).";
        Field(u => u.Source, type: typeof(NonNullGraphType<UrgencySourceType>));
        Field(u => u.Since, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(u => u.Reason);
        Field(u => u.FlaggedBy);
    }
}

public sealed class UrgencyInputType : InputObjectGraphType<UrgencyInput>
{
    public UrgencyInputType()
    {
        Name = "UrgencyInput";
        Field<NonNullGraphType<UrgencySourceType>>("source");
        Field<DateOnlyGraphType>("since").Description("Depuis quand ; aujourd'hui par défaut.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Motif (sans donnée de santé).");
    }
}

public sealed class SetUrgencyInputType : InputObjectGraphType<SetUrgencyInput>
{
    public SetUrgencyInputType()
    {
        Name = "SetUrgencyInput";
        Field<NonNullGraphType<IdGraphType>>("personId");
        Field<UrgencyInputType>("urgency").Description("L'urgence ; absente pour la lever.");
    }
}

public sealed class PublishGridInputType : InputObjectGraphType<PublishGridInput>
{
    public PublishGridInputType()
    {
        Name = "PublishGridInput";
        Field<NonNullGraphType<StringGraphType>>("department");
        Field<NonNullGraphType<StringGraphType>>("document").Description("La grille au format JSON (voir la grille par défaut de l'Orne).");
    }
}

internal static class GridFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<CriteriaGridType>("grid")
            .Description("La grille de critères d'admission d'un département : la version demandée, sinon celle en vigueur à une date (aujourd'hui par défaut) ; null si aucune. Rôles : tous, dans leur département.")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .Argument<DateOnlyGraphType>("date")
            .Argument<IntGraphType>("version", "Une version précise (voir gridVersions).")
            .ResolveAsync(async c =>
            {
                var grid = c.Grains().GetGrain<IGridGrain>(QueryType.Department(c.GetArgument<string>("department")));
                return c.GetArgument<int?>("version") is { } version
                    ? (await grid.GetVersionsAsync()).FirstOrDefault(g => g.Version == version)
                    : await grid.GetInForceAsync(c.GetArgument<DateOnly?>("date"));
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<GridVersionType>>>>("gridVersions")
            .Description("Toutes les versions publiées de la grille d'un département, la plus ancienne d'abord (sans leurs critères). Rôles : tous, dans leur département.")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .ResolveAsync(async c => await c.Grains().GetGrain<IGridGrain>(QueryType.Department(c.GetArgument<string>("department"))).GetVersionsAsync());
        query.Field<NonNullGraphType<RankingType>>("ranking")
            .Description("Le classement harmonisé d'un ESMS pour une modalité, avec le détail des points de chaque candidat, à une date (aujourd'hui par défaut ; une date passée est recalculée avec la grille et les faits d'alors). Rôles : esms-director (ses ESMS), territorial-staff, mdph-referent, admin ; pas observatory.")
            .Argument<NonNullGraphType<StringGraphType>>("finess")
            .Argument<NonNullGraphType<ModalityType>>("modality")
            .Argument<DateOnlyGraphType>("date")
            .ResolveAsync(async c => await c.Grains().GetGrain<IRankingGrain>(
                    RankingKeys.Of(FinessNumber.Parse(c.GetArgument<string>("finess")), c.GetArgument<Modality>("modality")))
                .GetAsync(c.GetArgument<DateOnly?>("date")));
        AddPreview(query);
    }

    private static void AddPreview(ObjectGraphType query) =>
        query.Field<NonNullGraphType<RankingPreviewType>>("rankingPreview")
            .Description("Aperçu, avant publication, des premiers du classement d'aujourd'hui d'un ESMS pour une modalité avec la grille en vigueur et avec une grille préparée (document JSON, validé comme à la publication : INVALID_GRID avec le chemin de chaque erreur) ; rien n'est enregistré. Lecture tracée. Rôle : admin (du département de l'ESMS).")
            .Argument<NonNullGraphType<StringGraphType>>("finess")
            .Argument<NonNullGraphType<ModalityType>>("modality")
            .Argument<NonNullGraphType<StringGraphType>>("document", "La grille préparée, au format JSON de publishGrid.")
            .Argument<IntGraphType>("top", "Nombre de premiers comparés, de 1 à 100 (10 par défaut).")
            .ResolveAsync(async c => await c.Grains().GetGrain<IRankingGrain>(
                    RankingKeys.Of(FinessNumber.Parse(c.GetArgument<string>("finess")), c.GetArgument<Modality>("modality")))
                .PreviewAsync(c.GetArgument<string>("document"), c.GetArgument<int?>("top") ?? 10));

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PublishGridPayloadType>>("publishGrid")
            .Description("Publie une nouvelle version de la grille (document JSON) ; une grille invalide est refusée (INVALID_GRID, avec le chemin JSON de chaque erreur) et la version en vigueur reste. Tous les ESMS du département sont reclassés. Rôle : admin.")
            .Argument<NonNullGraphType<PublishGridInputType>>("input")
            .ResolveAsync(c => c.RunAsync<PublishGrid, PublishGridInput, PublishGridResult>());
        mutation.Field<NonNullGraphType<SetUrgencyPayloadType>>("setUrgency")
            .Description("Signale une urgence (staff territorial ou PAG) sur la situation d'une personne, ou la lève ; tous ses classements suivent. Rôles : territorial-staff, mdph-referent, admin.")
            .Argument<NonNullGraphType<SetUrgencyInputType>>("input")
            .ResolveAsync(c => c.RunAsync<SetUrgency, SetUrgencyInput, PersonResult>());
    }

    /// <summary>The candidature's position in its ESMS's ranking (a field of Candidature), batched per request (<see cref="GrainLoaders"/>).</summary>
    public static void AddPosition(ObjectGraphType<Candidature> candidature) => AddPosition(candidature, c => (c.Finess, c.Modality, c.Id));

    /// <summary>The same position on the ESMS's view of a candidature (a field of EsmsCandidature), batched alike.</summary>
    public static void AddPosition(ObjectGraphType<EsmsCandidatureView> candidature) =>
        AddPosition(candidature, c => (c.Finess, c.Modality, c.Id), " Rôles : ceux de la liste des candidatures de l'ESMS.");

    /// <summary>The position field of any type naming a candidature, through the request's batching loader.</summary>
    public static void AddPosition<T>(ObjectGraphType<T> type, Func<T, (FinessNumber Finess, Modality Modality, CandidatureId Id)> of, string roles = "") =>
        type.Field<CandidaturePositionType>("position")
            .Description("Rang de la personne parmi les candidats éligibles de cet ESMS aujourd'hui, son score détaillé et l'attente médiane des demandes semblables admises ; absent pour une candidature inconnue du classement." + roles)
            .Resolve(c =>
            {
                var (finess, modality, id) = of(c.Source);
                return c.Loaders().Position(finess, modality, id);
            });
}
