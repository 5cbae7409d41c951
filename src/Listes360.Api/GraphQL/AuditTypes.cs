using GraphQL;
using GraphQL.Types;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Api.GraphQL;

public sealed class RoleType : EnumerationGraphType<Role>
{
    public RoleType()
    {
        Name = "Role";
        Description = "Rôle d'un utilisateur de Listes360.";
        foreach (var value in Values)
            value.Description = ((Role)value.Value!).French();
    }
}

public sealed class AuditKindType : EnumerationGraphType<AuditKind>
{
    public AuditKindType()
    {
        Name = "AuditKind";
        Description = "Nature de l'opération journalisée : lecture de données identifiantes ou écriture.";
    }
}

public sealed class AuditOutcomeType : EnumerationGraphType<AuditOutcome>
{
    public AuditOutcomeType()
    {
        Name = "AuditOutcome";
        Description = "Issue de l'opération : faite, refusée (droits) ou en échec.";
    }
}

public sealed class AuditEntryType : ObjectGraphType<AuditEntry>
{
    public AuditEntryType()
    {
        Name = "AuditEntry";
        Description = "Une entrée du journal d'audit (ajout seul : aucune entrée ne peut être modifiée). Une lecture ou un refus n'est écrit qu'une fois par requête, opération, identifiant et issue ; les 401 sont regroupés par source et par minute.";
        Field(e => e.At, type: typeof(NonNullGraphType<DateTimeOffsetGraphType>)).Description("Horodatage (UTC).");
        Field(e => e.Subject).Description("Qui (nom porté par le jeton ; « anonyme » sans jeton valide).");
        Field(e => e.Role, type: typeof(NonNullGraphType<RoleType>)).Description("Avec quel rôle (SYSTEM pour le service lui-même, et pour un appel sans rôle reconnu : 401, jeton sans rôle).");
        Field(e => e.Operation).Description("Quelle opération (grain et méthode ; « GraphQL », « Export … » ou « HTTP 401 » pour un refus de l'API elle-même).");
        Field(e => e.Kind, type: typeof(NonNullGraphType<AuditKindType>)).Description("Lecture ou écriture.");
        Field(e => e.Target).Description("Sur quel identifiant (FINESS, identifiant de personne… ; le chemin HTTP pour un refus de l'API elle-même).");
        Field(e => e.Outcome, type: typeof(NonNullGraphType<AuditOutcomeType>)).Description("Issue.");
        Field(e => e.Detail, nullable: true).Description("Motif d'un refus (et source d'un 401) ou code d'un échec.");
    }
}

internal static class AuditFields
{
    private const int DefaultPageSize = 100;

    /// <summary>The rows a request asks for: its literal <c>first</c>, the default without one, the largest page for a variable.</summary>
    private static double PageCost(GraphQLParser.AST.GraphQLField field) =>
        field.Arguments?.Items.FirstOrDefault(argument => argument.Name == "first")?.Value switch
        {
            null => DefaultPageSize,
            GraphQLParser.AST.GraphQLIntValue literal when int.TryParse(literal.Value.Span, out var first) => Math.Max(first, 1),
            _ => AuditGrain.MaxPageSize,
        };

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditEntryType>>>>("auditEntries")
            .Description("Journal d'audit, du plus récent au plus ancien. Rôle : admin.")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("from", "Début de la période.")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("to", "Fin de la période (au plus 366 jours après le début).")
            .Argument<StringGraphType>("subject", "Seulement cette personne.")
            .Argument<RoleType>("role", "Seulement ce rôle.")
            .Argument<StringGraphType>("operation", "Seulement les opérations dont le nom contient ce texte.")
            .Argument<StringGraphType>("target", "Seulement cet identifiant.")
            .Argument<AuditOutcomeType>("outcome", "Seulement cette issue.")
            .Argument<IntGraphType>("first", "Nombre maximal d'entrées (1 à 1 000, 100 par défaut).")
            // An entry is flat (scalars only): a page costs its number of rows, not rows × columns, so
            // that the documented page of 1,000 fits within the complexity limit.
            .WithComplexityImpact(impact => new global::GraphQL.Validation.Complexity.FieldComplexityResult(PageCost(impact.FieldAst), 1))
            .ResolveAsync(async context => await context.Grains().GetGrain<IAuditGrain>(AuditGrain.Key).QueryAsync(new AuditQuery(
                context.GetArgument<DateTimeOffset>("from"),
                context.GetArgument<DateTimeOffset>("to"),
                context.GetArgument<string?>("subject"),
                context.GetArgument<Role?>("role"),
                context.GetArgument<string?>("operation"),
                context.GetArgument<string?>("target"),
                context.GetArgument<AuditOutcome?>("outcome"),
                context.GetArgument("first", DefaultPageSize))));
    }
}
