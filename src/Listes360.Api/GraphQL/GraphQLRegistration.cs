using GraphQL;
using GraphQL.Execution;
using Listes360.Domain;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Listes360.Api.GraphQL;

public static class GraphQLRegistration
{
    /// <summary>Deepest selection a request may have.</summary>
    public const int MaxDepth = RequestLimits.MaxSelectionDepth;

    /// <summary>Largest computed complexity a request may have.</summary>
    public const int MaxComplexity = RequestLimits.MaxComplexity;

    /// <summary>French text stays readable in answers (accents are not escaped).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static IServiceCollection AddListes360GraphQL(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PersistedQueries>();
        services.AddSingleton<WriteRateLimiter>();
        services.AddGraphQL(graphql => graphql
            .AddSchema<Listes360Schema>()
            .AddGraphTypes(typeof(Listes360Schema).Assembly)
            .AddSystemTextJson(o => o.Encoder = JsonOptions.Encoder)
            // The library's complexity analyzer, reporting QUERY_TOO_DEEP / QUERY_TOO_COMPLEX in French.
            .AddValidationRule(QueryLimitsRule.Create())
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = false)
            .AddUnhandledExceptionHandler(TranslateErrors));
        return services;
    }

    /// <summary>
    /// A refused domain rule is an answer for the user, not a fault: its code and French message go
    /// out as they are. Anything else stays an internal error whose details are not exposed.
    /// </summary>
    private static void TranslateErrors(UnhandledExceptionContext context)
    {
        if (context.OriginalException is DomainException domain)
        {
            var error = new ExecutionError(domain.Message) { Code = domain.Code };
            if (domain.Field is not null)
                error.Extensions = new Dictionary<string, object?> { ["field"] = domain.Field };
            context.Exception = error;
            context.ErrorMessage = domain.Message;
        }
        else if (context.OriginalException is Listes360.Domain.Grid.GridValidationException grid)
        {
            context.Exception = new ExecutionError(grid.Message)
            {
                Code = Listes360.Domain.Grid.GridValidationException.Code,
                Extensions = new Dictionary<string, object?>
                {
                    ["field"] = grid.Errors[0].Path,
                    ["errors"] = grid.Errors.Select(e => new Dictionary<string, object?> { ["path"] = e.Path, ["message"] = e.Message }).ToList(),
                },
            };
            context.ErrorMessage = grid.Message;
        }
        else if (context.OriginalException is Orleans.Storage.InconsistentStateException)
        {
            context.Exception = new ExecutionError("La donnée a été modifiée par quelqu'un d'autre au même moment ; relisez-la puis recommencez.") { Code = "CONFLICT" };
        }
        else
        {
            var field = context.FieldContext?.FieldDefinition.Name;
            context.ExecutionOptions.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("Listes360.GraphQL")
                .LogError(context.OriginalException, "Erreur interne sur le champ {Field}", field);
            context.Exception = new ExecutionError(field is null
                ? "Erreur interne du service ; elle a été journalisée. Réessayez plus tard."
                : $"Erreur interne lors de la lecture du champ « {field} » ; elle a été journalisée. Réessayez plus tard.")
            { Code = "INTERNAL_ERROR" };
        }
    }
}
