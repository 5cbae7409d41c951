using GraphQL;
using GraphQL.Types;
using Listes360.Application.Maintenance;
using Listes360.Grains.Department;

namespace Listes360.Api.GraphQL;

public sealed class ReconcileStatusType : EnumerationGraphType<ReconcileStatus>
{
    public ReconcileStatusType()
    {
        Name = "ReconcileStatus";
        Description = "RUNNING : passe en cours (elle avance par lots, et reprend où elle en était si un serveur s'arrête) ; DONE : passe terminée.";
    }
}

public sealed class ReconcilePassType : ObjectGraphType<ReconcileProgress>
{
    public ReconcilePassType()
    {
        Name = "ReconcilePass";
        Description = "Une passe de réconciliation du département (en cours ou la dernière) : où elle en est et ce qu'elle a fait.";
        Field(p => p.Department).Description("Code du département.");
        Field(p => p.Status, type: typeof(NonNullGraphType<ReconcileStatusType>)).Description("En cours ou terminée.");
        Field(p => p.StartedAt, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>)).Description("Début de la passe (UTC).");
        Field(p => p.FinishedAt, type: typeof(DateTimeOffsetGraphType)).Description("Fin de la passe (UTC) ; vide tant qu'elle est en cours.");
        Field(p => p.Persons).Description("Personnes déjà repassées.");
        Field(p => p.Total, nullable: true).Description("Personnes du département au début de la passe ; vide tant qu'elles ne sont pas comptées (premier lot).");
        Field(p => p.Failed).Description("Personnes en échec (elles seront reprises par la passe suivante ou à leur prochaine activité).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReconcileFailureType>>>>("failures")
            .Description($"Les premières personnes en échec de la passe (au plus {ReconcileFailure.MaxKept}) et pourquoi, en français.")
            .Resolve(c => c.Source.Failures ?? []);
        Field<NonNullGraphType<FloatGraphType>>("seconds").Description("Durée en secondes (jusqu'à maintenant si la passe est en cours).")
            .Resolve(c => c.Source.Duration.TotalSeconds);
    }
}

public sealed class ReconcileFailureType : ObjectGraphType<ReconcileFailure>
{
    public ReconcileFailureType()
    {
        Name = "ReconcileFailure";
        Description = "Une personne que la passe n'a pas pu réconcilier : elle reste telle quelle, ses envois sont repris à sa prochaine activité et par la passe suivante.";
        Field<NonNullGraphType<IdGraphType>>("personId").Description("Identifiant de la personne (pas de nom : la passe est lue par l'administration).").Resolve(c => c.Source.PersonId);
        Field(f => f.Reason).Description("Pourquoi, en français.");
        Field(f => f.At, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>)).Description("Quand (UTC).");
    }
}

internal static class MaintenanceFields
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<ReconcilePassType>("reconcileStatus")
            .Description("La passe de réconciliation du département en cours, sinon la dernière (vide si aucune n'a encore eu lieu). Rôle : admin (son département).")
            .Argument<NonNullGraphType<StringGraphType>>("department")
            .ResolveAsync(async c => await c.Grains().GetGrain<IDepartmentMaintenanceGrain>(QueryType.Department(c.GetArgument<string>("department"))).GetReconcileAsync());
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReconcileDepartmentPayloadType>>("reconcileDepartment")
            .Description("Lance une passe sur toutes les personnes du département : vues des ESMS et décomptes reconstruits, orientations échues appliquées (la passe quotidienne fait de même). Répond aussitôt avec l'avancement ; si une passe est déjà en cours, c'est elle qui est renvoyée (une seule à la fois). Suivre avec reconcileStatus. Rôle : admin (son département).")
            .Argument<NonNullGraphType<ReconcileDepartmentInputType>>("input")
            .ResolveAsync(c => c.RunAsync<ReconcileDepartment, ReconcileDepartmentInput, ReconcileDepartmentResult>());
    }
}

public sealed class ReconcileDepartmentInputType : InputObjectGraphType<ReconcileDepartmentInput>
{
    public ReconcileDepartmentInputType()
    {
        Name = "ReconcileDepartmentInput";
        Field<NonNullGraphType<StringGraphType>>("department").Description("Code du département.");
    }
}
