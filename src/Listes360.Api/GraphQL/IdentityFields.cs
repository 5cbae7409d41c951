using System.Text;
using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Identity;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;
using NirHasher = Listes360.Domain.Persons.NirHasher;
using Listes360.Domain.Time;
using Listes360.Application.Identity;

namespace Listes360.Api.GraphQL;

public sealed class IdentityRecordType : ObjectGraphType<MatchRecord>
{
    public IdentityRecordType()
    {
        Name = "IdentityRecord";
        Description = "Une identité telle que le rapprochement l'a lue (l'orthographe de la liste d'origine).";
        Field(r => r.LastName, nullable: true).Description("Nom (d'usage, tel qu'écrit).");
        Field(r => r.BirthName, nullable: true).Description("Nom de naissance, s'il était donné à part.");
        Field(r => r.FirstName, nullable: true).Description("Prénom(s).");
        Field(r => r.BirthDate, nullable: true).Description("Date de naissance (AAAAMMJJ).");
        Field(r => r.MdphNumber, nullable: true).Description("N° de dossier MDPH.");
        Field<BooleanGraphType>("hasNir").Description("Un NIR était donné (seule son empreinte est gardée, jamais montrée).").Resolve(c => c.Source.NirHash is not null);
        Field(r => r.Postcode, nullable: true).Description("Code postal.");
        Field(r => r.Commune, nullable: true).Description("Commune.");
    }
}

public sealed class MatchReasonType : ObjectGraphType<MatchReason>
{
    public MatchReasonType()
    {
        Name = "MatchReason";
        Description = "Un élément du score : la caractéristique comparée, sa contribution, l'explication.";
        Field(r => r.Feature);
        Field(r => r.Contribution);
        Field(r => r.Text).Description("Explication en français.");
    }
}

public sealed class ReviewStatusType : EnumerationGraphType<ReviewStatus>
{
    public ReviewStatusType()
    {
        Name = "ReviewStatus";
        Description = "PENDING : à traiter ; MERGED : fusionnées ; DIFFERENT_PERSONS : deux personnes (la paire n'est plus proposée).";
    }
}

public sealed class ReviewDecisionType : EnumerationGraphType<ReviewDecision>
{
    public ReviewDecisionType()
    {
        Name = "ReviewDecision";
        Description = "MERGE : même personne (fusion, réversible par splitPerson) ; DIFFERENT_PERSONS : deux personnes.";
    }
}

public sealed class ReviewItemType : ObjectGraphType<ReviewItem>
{
    public ReviewItemType()
    {
        Name = "ReviewItem";
        Description = "Un doublon possible : les deux personnes côte à côte, le score et ses raisons.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("existingPersonId").Description("La personne déjà connue.").Resolve(c => c.Source.ExistingPerson);
        Field<NonNullGraphType<IdentityRecordType>>("existing").Resolve(c => c.Source.Existing);
        Field<NonNullGraphType<IdGraphType>>("newPersonId").Description("La personne créée par la nouvelle saisie ou ligne.").Resolve(c => c.Source.NewPerson);
        Field<NonNullGraphType<IdentityRecordType>>("new").Resolve(c => c.Source.New);
        Field<NonNullGraphType<FloatGraphType>>("score").Resolve(c => c.Source.Match.Score);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MatchReasonType>>>>("reasons").Resolve(c => c.Source.Match.Reasons);
        Field(i => i.Source).Description("D'où vient la nouvelle saisie (fichier et ligne, saisie).");
        Field(i => i.QueuedAt);
        Field(i => i.Status, type: typeof(NonNullGraphType<ReviewStatusType>));
        Field(i => i.ResolvedBy, nullable: true);
        Field(i => i.ResolvedAt, nullable: true);
        Field(i => i.Reason, nullable: true).Description("Motif de la décision.");
    }
}

public sealed class ReviewItemEdgeType() : EdgeGraphType<ReviewItem, ReviewItemType>("ReviewItemEdge", "Un doublon possible de la file et son curseur.");

public sealed class ReviewItemConnectionType() : ConnectionGraphType<ReviewItem, ReviewItemEdgeType>("ReviewItemConnection", "Une page de la file de vérification des doublons.");

public sealed class MergeRecordType : ObjectGraphType<MergeRecord>
{
    public MergeRecordType()
    {
        Name = "MergeRecord";
        Description = "Une fusion de doublons (et sa séparation, le cas échéant) : qui, quand, pourquoi, ce qui a été déplacé.";
        Field<NonNullGraphType<IdGraphType>>("mergedPersonId").Resolve(c => c.Source.From);
        Field<NonNullGraphType<IdGraphType>>("survivorId").Resolve(c => c.Source.Into);
        Field(m => m.At);
        Field(m => m.By);
        Field(m => m.Reason);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("candidatures").Description("Les candidatures déplacées (rendues par la séparation).").Resolve(c => c.Source.Candidatures);
        Field(m => m.Split).Description("La fusion a été défaite.");
        Field(m => m.SplitAt, nullable: true);
        Field(m => m.SplitBy, nullable: true);
        Field(m => m.SplitReason, nullable: true);
    }
}

public sealed class RowErrorType : ObjectGraphType<RowError>
{
    public RowErrorType()
    {
        Name = "RejectedRow";
        Description = "Une ligne rejetée : son numéro dans le fichier (1 = en-têtes), un code stable et la raison en français.";
        Field(e => e.Line);
        Field(e => e.Code);
        Field(e => e.Message);
    }
}

public sealed class ListImportReportType : ObjectGraphType<ListImportReport>
{
    public ListImportReportType()
    {
        Name = "ListImportReport";
        Description = "Compte rendu d'import d'une liste d'attente : chaque ligne lue est acceptée (créée, rapprochée ou mise en vérification) ou rejetée. Une direction d'ESMS ne voit que les lignes acceptées : le compte rendu est le même que la personne soit déjà connue du département ou non.";
        Field(r => r.Finess);
        Field(r => r.RowsRead).Description("Lignes de données lues.");
        Field(r => r.RowsAccepted).Description("Lignes acceptées (toutes celles qui ne sont pas rejetées).");
        Field<IntGraphType>("personsCreated").Description("Personnes créées ; null pour une direction d'ESMS.").Resolve(c => c.Source.OutcomesHidden ? null : c.Source.PersonsCreated);
        Field<IntGraphType>("matched").Description("Lignes rapprochées d'une personne déjà connue ; null pour une direction d'ESMS.").Resolve(c => c.Source.OutcomesHidden ? null : c.Source.Matched);
        Field<IntGraphType>("queuedForReview").Description("Personnes créées et placées dans la file de vérification (doublon possible) ; null pour une direction d'ESMS.").Resolve(c => c.Source.OutcomesHidden ? null : c.Source.QueuedForReview);
        Field(r => r.CandidaturesCreated).Description("Candidatures créées (0 pour un fichier déjà importé).");
        Field(r => r.RowsUnchanged).Description("Lignes qui n'ont rien changé.");
        Field(r => r.Rejected, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<RowErrorType>>>)).Description("Lignes rejetées, par numéro de ligne.");
    }
}

public sealed class ImportCandidatureListInputType : InputObjectGraphType<ImportCandidatureListInput>
{
    public ImportCandidatureListInputType()
    {
        Name = "ImportCandidatureListInput";
        Description = "Le contenu d'un fichier CSV de liste d'attente (en-têtes français : nom, prénom, date de naissance, date de la demande, modalité…).";
        Field<NonNullGraphType<StringGraphType>>("finess").Description("FINESS de l'ESMS dont c'est la liste.");
        Field<NonNullGraphType<StringGraphType>>("fileName").Description("Nom du fichier (repris dans le compte rendu et l'audit).");
        Field<NonNullGraphType<StringGraphType>>("content").Description("Le texte du fichier (séparateur ; ou , ; la requête est limitée à 1 Mio).");
    }
}

public sealed class ResolveReviewInputType : InputObjectGraphType<ResolveReviewInput>
{
    public ResolveReviewInputType()
    {
        Name = "ResolveReviewInput";
        Field<NonNullGraphType<StringGraphType>>("department");
        Field<NonNullGraphType<IdGraphType>>("itemId");
        Field<NonNullGraphType<ReviewDecisionType>>("decision");
        Field<IdGraphType>("survivorId").Description("Pour une fusion : la personne gardée (par défaut la plus anciennement connue).");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Motif, gardé au journal d'audit.");
    }
}

public sealed class MergePersonsInputType : InputObjectGraphType<MergePersonsInput>
{
    public MergePersonsInputType()
    {
        Name = "MergePersonsInput";
        Field<NonNullGraphType<IdGraphType>>("survivorId").Description("La personne gardée.");
        Field<NonNullGraphType<IdGraphType>>("mergedId").Description("Le doublon, fusionné dans la personne gardée.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Motif, gardé au journal d'audit.");
    }
}

public sealed class SplitPersonInputType : InputObjectGraphType<SplitPersonInput>
{
    public SplitPersonInputType()
    {
        Name = "SplitPersonInput";
        Field<NonNullGraphType<IdGraphType>>("mergedId").Description("La personne fusionnée à séparer.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Motif, gardé au journal d'audit.");
    }
}

internal static class IdentityFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ReviewItemConnectionType>>("reviewQueue")
            .Description("La file de vérification des doublons possibles du département, les plus anciens d'abord (lecture tracée). Rôles : mdph-referent, admin.")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .Argument<BooleanGraphType>("pendingOnly", "Seulement ceux à traiter (vrai par défaut).")
            .Paged()
            .ResolveAsync(async c => Connections.Of(await c.Grains().GetGrain<IReviewQueueGrain>(QueryType.Department(c.GetArgument<string>("department")))
                .ListAsync(c.GetArgument("pendingOnly", true), c.After(), c.First()), ReviewQueueGrain.SortKey, c.After()));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ImportCandidatureListPayloadType>>("importCandidatureList")
            .Description("Importe la liste d'attente d'un ESMS (contenu d'un CSV) : chaque ligne est rapprochée d'une personne (créée, reconnue ou mise en vérification) et sa candidature créée ; réimporter le même fichier ne change rien. Rôles : esms-director (son ESMS), territorial-staff, admin.")
            .Argument<NonNullGraphType<ImportCandidatureListInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ImportCandidatureList, ImportCandidatureListInput, ImportCandidatureListResult>());

        mutation.Field<NonNullGraphType<ResolveReviewPayloadType>>("resolveReview")
            .Description("Traite un doublon possible de la file : fusion (réversible par splitPerson) ou deux personnes distinctes ; tracé avec le motif. Rôles : mdph-referent, admin.")
            .Argument<NonNullGraphType<ResolveReviewInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ResolveReview, ResolveReviewInput, ResolveReviewResult>());

        mutation.Field<NonNullGraphType<MergePersonsPayloadType>>("mergePersons")
            .Description("Fusionne un doublon dans la personne gardée : candidatures (avec leur historique) et orientations déplacées, l'ancien identifiant renvoie à la personne gardée ; tracé avec le motif. Rôles : mdph-referent, admin.")
            .Argument<NonNullGraphType<MergePersonsInputType>>("input")
            .ResolveAsync(c => c.RunAsync<MergePersons, MergePersonsInput, MergeResult>());

        mutation.Field<NonNullGraphType<SplitPersonPayloadType>>("splitPerson")
            .Description("Défait une fusion : chaque candidature apportée par la personne fusionnée lui revient ; tracé avec le motif. Rôles : mdph-referent, admin.")
            .Argument<NonNullGraphType<SplitPersonInputType>>("input")
            .ResolveAsync(c => c.RunAsync<SplitPerson, SplitPersonInput, MergeResult>());
    }
}
