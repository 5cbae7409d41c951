using GraphQL;
using GraphQL.Types;
using Listes360.Application.Vacancies;
using Listes360.Domain.Vacancies;
using Listes360.Grains.Vacancies;

namespace Listes360.Api.GraphQL;

public sealed class VacancyOriginType : EnumerationGraphType<VacancyOrigin>
{
    public VacancyOriginType()
    {
        Name = "VacancyOrigin";
        Description = "Pourquoi une place est libre.";
        foreach (var value in Values)
            value.Description = ((VacancyOrigin)value.Value!).Label();
    }
}

public sealed class ExitReasonType : EnumerationGraphType<ExitReason>
{
    public ExitReasonType()
    {
        Name = "ExitReason";
        Description = "Motif de la sortie d'une personne accueillie.";
        foreach (var value in Values)
            value.Description = ((ExitReason)value.Value!).Label();
    }
}

public sealed class VacancyStatusType : EnumerationGraphType<VacancyStatus>
{
    public VacancyStatusType()
    {
        Name = "VacancyStatus";
        Description = "Où en est une place libérée.";
        foreach (var value in Values)
            value.Description = ((VacancyStatus)value.Value!).Label();
    }
}

public sealed class OfferOutcomeType : EnumerationGraphType<OfferOutcome>
{
    public OfferOutcomeType()
    {
        Name = "OfferOutcome";
        Description = "Comment s'est terminée la proposition d'une place à un candidat.";
        foreach (var value in Values)
            value.Description = ((OfferOutcome)value.Value!).Label();
    }
}

public sealed class ProposedCandidateType : ObjectGraphType<ProposedCandidate>
{
    public ProposedCandidateType()
    {
        Name = "ProposedCandidate";
        Description = "Un candidat proposé pour une place libérée, d'après le classement harmonisé en vigueur.";
        Field(c => c.Order).Description("Ordre de proposition (1 pour le premier proposé).");
        Field(c => c.Rank).Description("Rang dans le classement harmonisé de l'ESMS.");
        Field<NonNullGraphType<IdGraphType>>("candidatureId").Resolve(c => c.Source.CandidatureId.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.PersonId.Value);
        Field<PersonType>("person").Description("La personne telle que l'appelant peut la voir (lecture tracée ; une fois par requête). Rôles et refus : ceux du champ person.")
            .Resolve(c => c.Loaders().Person(c.Source.PersonId));
        Field<NonNullGraphType<IntGraphType>>("points").Description("Score total (somme du détail).").Resolve(c => c.Source.Score.Total);
        Field<NonNullGraphType<IntGraphType>>("gridVersion").Resolve(c => c.Source.Score.GridVersion);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScoreLineType>>>>("breakdown").Description("Un détail par critère de la grille.").Resolve(c => c.Source.Score.Lines);
        Field(c => c.Urgency).Description("Urgence signalée (la grille lui donne des points).");
        Field(c => c.Creton).Description("Jeune adulte au titre de l'amendement Creton (la grille lui donne des points).");
        Field(c => c.WithoutSolution).Description("À domicile sans solution (la grille lui donne des points).");
    }
}

public sealed class VacancyOfferType : ObjectGraphType<VacancyOffer>
{
    public VacancyOfferType()
    {
        Name = "VacancyOffer";
        Description = "La proposition de la place à un candidat, et son issue.";
        Field<NonNullGraphType<IdGraphType>>("candidatureId").Resolve(c => c.Source.CandidatureId.Value);
        Field<NonNullGraphType<IdGraphType>>("personId").Resolve(c => c.Source.PersonId.Value);
        Field(o => o.Order).Description("Ordre de proposition du candidat.");
        Field(o => o.Rank).Description("Rang dans le classement.");
        Field(o => o.OfferedOn, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(o => o.Deadline, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Dernier jour pour répondre (délai de la grille).");
        Field(o => o.Outcome, type: typeof(NonNullGraphType<OfferOutcomeType>));
        Field(o => o.EndedOn, type: typeof(DateOnlyGraphType));
        Field(o => o.Reason, type: typeof(CandidatureReasonType));
        Field(o => o.CountsAsRefusal).Description("Compté comme refus d'une offre adaptée selon la règle de la grille.");
        Field(o => o.RuleApplied, nullable: true).Description("Ce que la règle de refus de la grille a décidé, en clair.");
    }
}

public sealed class VacancyStepType : ObjectGraphType<VacancyStep>
{
    public VacancyStepType()
    {
        Name = "VacancyStep";
        Description = "Une étape d'une place libérée (sans nom).";
        Field(s => s.At, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(s => s.By);
        Field(s => s.Code);
        Field(s => s.Text);
    }
}

public sealed class ChainLinkType : ObjectGraphType<ChainLink>
{
    public ChainLinkType()
    {
        Name = "VacancyChainLink";
        Description = "Le maillon de chaîne : l'admission ailleurs qui a libéré cette place.";
        Field<NonNullGraphType<StringGraphType>>("admittingFiness").Resolve(c => c.Source.AdmittingFiness.Value);
        Field(l => l.PreviousVacancy, nullable: true).Description("La place libérée que cette admission a pourvue, s'il y en a une.");
        Field(l => l.Root).Description("La première place libérée de la chaîne.");
        Field(l => l.Index).Description("Rang dans la chaîne (1 pour la première).");
        Field(l => l.RootOpenedOn, type: typeof(NonNullGraphType<DateOnlyGraphType>));
    }
}

public sealed class VacancyType : ObjectGraphType<Vacancy>
{
    public VacancyType()
    {
        Name = "Vacancy";
        Description = "Une place libérée d'un ESMS pour une modalité : ouverte, proposée aux premiers du classement, pourvue ou retirée.";
        Field(v => v.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<StringGraphType>>("finess").Resolve(c => c.Source.Finess.Value);
        Field(v => v.Modality, type: typeof(NonNullGraphType<ModalityType>));
        Field(v => v.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(v => v.Territory, nullable: true);
        Field(v => v.OpenedOn, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(v => v.Origin, type: typeof(NonNullGraphType<VacancyOriginType>));
        Field(v => v.ExitReason, type: typeof(ExitReasonType));
        Field(v => v.Status, type: typeof(NonNullGraphType<VacancyStatusType>));
        Field(v => v.ClosedOn, type: typeof(DateOnlyGraphType));
        Field(v => v.WithdrawalReason, nullable: true);
        Field(v => v.Chain, type: typeof(ChainLinkType)).Description("Le maillon de chaîne, quand une admission ailleurs a libéré la place.");
        Field<IntGraphType>("proposalGridVersion").Description("La version de la grille du classement proposé.").Resolve(c => c.Source.Proposal?.GridVersion);
        Field<DateOnlyGraphType>("proposedOn").Description("Le jour du classement proposé.").Resolve(c => c.Source.Proposal?.On);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProposedCandidateType>>>>("proposals")
            .Description("Les candidats proposés, dans l'ordre (les premiers candidats en liste d'attente du classement en vigueur).")
            .Resolve(c => c.Source.Proposal?.Candidates ?? []);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("proposalNotices")
            .Description("Qui n'a pas été proposé et pourquoi (jamais en silence).").Resolve(c => c.Source.Proposal?.Notices ?? []);
        Field<ProposedCandidateType>("next").Description("Le prochain candidat proposé non encore sollicité.").Resolve(c => c.Source.NotYetOffered.FirstOrDefault());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VacancyOfferType>>>>("offers").Resolve(c => c.Source.Offers.IsDefault ? [] : c.Source.Offers);
        Field<NonNullGraphType<IntGraphType>>("countedRefusals").Description("Refus comptés selon la règle de la grille.").Resolve(c => c.Source.CountedRefusals);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<VacancyStepType>>>>("steps").Resolve(c => c.Source.Steps.IsDefault ? [] : c.Source.Steps);
    }
}

public sealed class VacancyChainType : ObjectGraphType<VacancyChainView>
{
    public VacancyChainType()
    {
        Name = "VacancyChain";
        Description = "Une chaîne de places libérées, sans nom : chaque admission libère une place ailleurs.";
        Field(c => c.Root).Description("La première place libérée.");
        Field(c => c.FirstOpenedOn, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(c => c.Length).Description("Nombre de places libérées de la chaîne.");
        Field(c => c.Filled);
        Field(c => c.Open);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindOfSupportType>>>>("kinds").Description("Les types d'ESMS le long de la chaîne.").Resolve(c => c.Source.Kinds);
        Field(c => c.DaysToLastAdmission, nullable: true).Description("Jours de la première place libérée à la dernière admission.");
        Field(c => c.PersonsWithoutSolutionPlaced).Description("Personnes sans solution admises le long de la chaîne.");
    }
}

public sealed class KindDelayType : ObjectGraphType<KindDelayView>
{
    public KindDelayType()
    {
        Name = "VacancyDelayByKind";
        Field(k => k.Kind, type: typeof(NonNullGraphType<KindOfSupportType>));
        Field(k => k.Filled);
        Field(k => k.MedianDays, nullable: true).Description("Médiane des jours entre l'ouverture de la place et l'admission.");
    }
}

public sealed class VacancyIndicatorsType : ObjectGraphType<VacancyIndicatorsView>
{
    public VacancyIndicatorsType()
    {
        Name = "VacancyIndicators";
        Description = "Indicateurs des places libérées d'un département (sans nom).";
        Field(i => i.Vacancies);
        Field(i => i.Filled);
        Field(i => i.Open);
        Field(i => i.Withdrawn);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindDelayType>>>>("medianDaysToAdmissionByKind").Resolve(c => c.Source.MedianDaysToAdmissionByKind);
        Field(i => i.ShareFilledFromTop3, nullable: true).Description("Part des places pourvues par l'un des trois premiers proposés (0 à 1).");
        Field(i => i.RefusalsPerVacancy, nullable: true).Description("Refus de la personne par place proposée.");
        Field(i => i.CountedRefusalsPerVacancy, nullable: true).Description("Refus comptés (règle de la grille) par place proposée.");
    }
}

public sealed class VacancyPayloadType : ObjectGraphType<VacancyResult>
{
    public VacancyPayloadType()
    {
        Name = "VacancyPayload";
        Description = "La place libérée après l'opération.";
        Field(r => r.Vacancy, type: typeof(NonNullGraphType<VacancyType>));
    }
}

public sealed class RecordExitInputType : InputObjectGraphType<RecordExitInput>
{
    public RecordExitInputType()
    {
        Name = "RecordExitInput";
        Field<NonNullGraphType<StringGraphType>>("finess");
        Field<NonNullGraphType<ModalityType>>("modality");
        Field<NonNullGraphType<ExitReasonType>>("reason");
        Field<DateOnlyGraphType>("date").Description("Jour de la sortie ; aujourd'hui par défaut.");
    }
}

public sealed class ProposeVacancyInputType : InputObjectGraphType<ProposeVacancyInput>
{
    public ProposeVacancyInputType()
    {
        Name = "ProposeVacancyInput";
        Field<NonNullGraphType<IdGraphType>>("vacancyId");
        Field<IntGraphType>("count").Description("Nombre de candidats proposés (5 par défaut, 20 au plus).");
    }
}

public sealed class OfferVacancyInputType : InputObjectGraphType<OfferVacancyInput>
{
    public OfferVacancyInputType()
    {
        Name = "OfferVacancyInput";
        Field<NonNullGraphType<IdGraphType>>("vacancyId");
        Field<NonNullGraphType<IdGraphType>>("candidatureId");
    }
}

public sealed class RecordVacancyRefusalInputType : InputObjectGraphType<RecordVacancyRefusalInput>
{
    public RecordVacancyRefusalInputType()
    {
        Name = "RecordVacancyRefusalInput";
        Field<NonNullGraphType<IdGraphType>>("vacancyId");
        Field<NonNullGraphType<IdGraphType>>("candidatureId");
        Field<NonNullGraphType<CandidatureReasonType>>("reason").Description("Motif du refus par la personne (la grille dit lesquels comptent).");
    }
}

public sealed class ExpireVacancyOfferInputType : InputObjectGraphType<ExpireVacancyOfferInput>
{
    public ExpireVacancyOfferInputType()
    {
        Name = "ExpireVacancyOfferInput";
        Field<NonNullGraphType<IdGraphType>>("vacancyId");
    }
}

public sealed class WithdrawVacancyInputType : InputObjectGraphType<WithdrawVacancyInput>
{
    public WithdrawVacancyInputType()
    {
        Name = "WithdrawVacancyInput";
        Field<NonNullGraphType<IdGraphType>>("vacancyId");
        Field<NonNullGraphType<StringGraphType>>("reason");
    }
}

public sealed class HookDeliveryType : ObjectGraphType<HookDelivery>
{
    public HookDeliveryType()
    {
        Name = "VacancyHookDelivery";
        Description = "Un essai d'envoi du webhook (sans secret ni adresse).";
        Field(d => d.MessageId).Description("Identifiant du message : la place libérée et sa version (un destinataire ignore un doublon).");
        Field(d => d.Event).Description("Événement : vacancy.opened, vacancy.proposed, vacancy.offered, vacancy.filled…");
        Field(d => d.At, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(d => d.Attempt).Description("Numéro de l'essai pour ce message.");
        Field(d => d.Delivered).Description("Remis (réponse HTTP 2xx).");
        Field(d => d.StatusCode, nullable: true).Description("Code HTTP reçu ; aucun quand le destinataire n'a pas répondu.");
        Field(d => d.Outcome).Description("Ce qui s'est passé, en clair.");
    }
}

public sealed class VacancyHookType : ObjectGraphType<VacancyHookView>
{
    public VacancyHookType()
    {
        Name = "VacancyHook";
        Description = "Le webhook signé des places libérées d'un ESMS (le secret n'est jamais relu).";
        Field(h => h.Finess);
        Field(h => h.Url);
        Field(h => h.SetBy);
        Field(h => h.SetAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
        Field(h => h.Pending).Description("Messages en attente d'envoi.");
        Field(h => h.NextAttemptAt, type: typeof(DateTimeOffsetGraphType)).Description("Prochain essai du premier message en attente.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HookDeliveryType>>>>("deliveries").Description("Les derniers essais, le plus récent d'abord.").Resolve(c => c.Source.Deliveries);
    }
}

public sealed class ConfigureVacancyHookPayloadType : ObjectGraphType<VacancyHookConfigured>
{
    public ConfigureVacancyHookPayloadType()
    {
        Name = "ConfigureVacancyHookPayload";
        Description = "Le webhook enregistré. Signature : en-tête X-Listes360-Signature « t=<secondes Unix>,v1=<hex> », v1 = HMAC-SHA256, par le secret, de t, d'un point et du corps.";
        Field(h => h.Finess);
        Field(h => h.Url);
        Field(h => h.GeneratedSecret, nullable: true).Description("Le secret tiré au hasard, affiché cette seule fois (aucun quand vous l'avez donné).");
        Field(h => h.SetAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>));
    }
}

public sealed class RemoveVacancyHookPayloadType : ObjectGraphType<VacancyHookRemoved>
{
    public RemoveVacancyHookPayloadType()
    {
        Name = "RemoveVacancyHookPayload";
        Field(h => h.Finess);
        Field(h => h.Removed).Description("Un webhook était configuré et a été retiré.");
    }
}

public sealed class ConfigureVacancyHookInputType : InputObjectGraphType<ConfigureVacancyHookInput>
{
    public ConfigureVacancyHookInputType()
    {
        Name = "ConfigureVacancyHookInput";
        Field<NonNullGraphType<StringGraphType>>("finess");
        Field<NonNullGraphType<StringGraphType>>("url").Description("Adresse https (http admis seulement vers la machine elle-même).");
        Field<StringGraphType>("secret").Description("32 à 200 caractères ASCII imprimables ; vide : un secret est tiré au hasard et renvoyé une fois.");
    }
}

public sealed class RemoveVacancyHookInputType : InputObjectGraphType<RemoveVacancyHookInput>
{
    public RemoveVacancyHookInputType()
    {
        Name = "RemoveVacancyHookInput";
        Field<NonNullGraphType<StringGraphType>>("finess");
    }
}

/// <summary>Places libérées: the queries and mutations of issue 19.</summary>
internal static class VacancyFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<VacancyType>>>>("vacancies")
            .Description("Les places libérées d'un ESMS (ouvertes d'abord, puis les dernières closes), avec les candidats proposés. Rôles : esms-director (ses ESMS), territorial-staff (de son territoire), admin ; lecture tracée.")
            .Argument<NonNullGraphType<StringGraphType>>("finess")
            .Argument<BooleanGraphType>("openOnly", "Seulement les places ouvertes.")
            .ResolveAsync(async c => await c.Grains().GetGrain<IVacancyGrain>(Domain.Registry.FinessNumber.Parse(c.GetArgument<string>("finess")).Value)
                .ListAsync(c.GetArgument<bool?>("openOnly") ?? false));
        query.Field<VacancyType>("vacancy")
            .Description("Une place libérée, avec ses candidats proposés (rang, points, détail), ses propositions et ses étapes ; null si inconnue. Rôles : ceux de vacancies.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("id");
                return await c.Grains().GetGrain<IVacancyGrain>(VacancyIds.FinessOf(id).Value).GetAsync(id);
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<VacancyChainType>>>>("vacancyChains")
            .Description("Les chaînes de places libérées d'un département, sans nom : longueur, délai de la première place à la dernière admission, personnes sans solution admises. Rôles : observatory, territorial-staff, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .Argument<IntGraphType>("minLength", "Longueur minimale (2 par défaut : les vraies chaînes).")
            .ResolveAsync(async c => await c.Grains().GetGrain<IVacancyChainGrain>(QueryType.Department(c.GetArgument<string>("department")))
                .GetChainsAsync(c.GetArgument<int?>("minLength") ?? 2));
        query.Field<NonNullGraphType<VacancyIndicatorsType>>("vacancyIndicators")
            .Description("Indicateurs des places libérées d'un département (médiane place → admission par type, part pourvue par les trois premiers proposés, refus par place). Rôles : observatory, territorial-staff, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .ResolveAsync(async c => await c.Grains().GetGrain<IVacancyChainGrain>(QueryType.Department(c.GetArgument<string>("department"))).GetIndicatorsAsync());
        query.Field<VacancyHookType>("vacancyHook")
            .Description("Le webhook signé des places libérées d'un ESMS (adresse, messages en attente, derniers essais ; jamais le secret) ; null si aucun. Rôles : esms-director (ses ESMS), admin.")
            .Argument<NonNullGraphType<StringGraphType>>("finess")
            .ResolveAsync(async c => await c.Grains().GetGrain<IVacancyHookGrain>(Domain.Registry.FinessNumber.Parse(c.GetArgument<string>("finess")).Value).GetAsync());
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<VacancyPayloadType>>("recordExit")
            .Description("Enregistre la sortie d'une personne accueillie (avec son motif) : une place libérée s'ouvre pour cette modalité, avec ses candidats proposés. Rôles : esms-director (ses ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<RecordExitInputType>>("input")
            .ResolveAsync(c => c.RunAsync<RecordExit, RecordExitInput, VacancyResult>());
        mutation.Field<NonNullGraphType<VacancyPayloadType>>("proposeVacancy")
            .Description("Renouvelle les candidats proposés d'une place ouverte d'après le classement en vigueur. Rôles : esms-director (ses ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<ProposeVacancyInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ProposeVacancy, ProposeVacancyInput, VacancyResult>());
        mutation.Field<NonNullGraphType<VacancyPayloadType>>("offerVacancy")
            .Description("Propose la place à un candidat proposé : la candidature passe au statut « Place proposée » avec le délai de réponse de la grille. Rôles : esms-director (ses ESMS), admin.")
            .Argument<NonNullGraphType<OfferVacancyInputType>>("input")
            .ResolveAsync(c => c.RunAsync<OfferVacancy, OfferVacancyInput, VacancyResult>());
        mutation.Field<NonNullGraphType<VacancyPayloadType>>("recordVacancyRefusal")
            .Description("La personne décline la place proposée (avec son motif) : compté ou non comme refus d'une offre adaptée selon la grille, la place passe au candidat suivant. Rôles : esms-director (ses ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<RecordVacancyRefusalInputType>>("input")
            .ResolveAsync(c => c.RunAsync<RecordVacancyRefusal, RecordVacancyRefusalInput, VacancyResult>());
        mutation.Field<NonNullGraphType<VacancyPayloadType>>("expireVacancyOffer")
            .Description("Le délai de réponse est dépassé : la candidature revient en liste d'attente (aucun refus n'est déduit) et la place passe au candidat suivant ; refusé avant la fin du délai (OFFER_NOT_OVERDUE). Rôles : esms-director (ses ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<ExpireVacancyOfferInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ExpireVacancyOffer, ExpireVacancyOfferInput, VacancyResult>());
        mutation.Field<NonNullGraphType<VacancyPayloadType>>("withdrawVacancy")
            .Description("Retire une place ouverte, avec son motif (refusé tant qu'une proposition attend sa réponse). Rôles : esms-director (ses ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<WithdrawVacancyInputType>>("input")
            .ResolveAsync(c => c.RunAsync<WithdrawVacancy, WithdrawVacancyInput, VacancyResult>());
        mutation.Field<NonNullGraphType<ConfigureVacancyHookPayloadType>>("configureVacancyHook")
            .Description("Enregistre le webhook signé des places libérées d'un ESMS (adresse, secret HMAC-SHA256 ; tiré au hasard et renvoyé une fois si absent). Chaque changement d'une place est posté, signé, réessayé avec un délai croissant. Rôles : esms-director (ses ESMS), admin.")
            .Argument<NonNullGraphType<ConfigureVacancyHookInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ConfigureVacancyHook, ConfigureVacancyHookInput, VacancyHookConfigured>());
        mutation.Field<NonNullGraphType<RemoveVacancyHookPayloadType>>("removeVacancyHook")
            .Description("Retire le webhook d'un ESMS : plus rien n'est posté, les messages en attente sont abandonnés (dit dans le journal). Rôles : esms-director (ses ESMS), admin.")
            .Argument<NonNullGraphType<RemoveVacancyHookInputType>>("input")
            .ResolveAsync(c => c.RunAsync<RemoveVacancyHook, RemoveVacancyHookInput, VacancyHookRemoved>());
    }
}
