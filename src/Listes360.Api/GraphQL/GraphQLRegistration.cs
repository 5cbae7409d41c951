using GraphQL;
using GraphQL.Execution;
using Listes360.Domain;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Listes360.Application;

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
        services.AddSingleton<ValidatedDocuments>();
        services.AddSingleton<WriteRateLimiter>();
        services.AddScoped<GrainLoaders>();
        // The use cases the mutations hand their typed input to.
        services.AddListes360UseCases();
        services.AddListes360Queries();
        services.AddGraphQL(graphql => graphql
            .AddSchema<Listes360Schema>()
            .AddGraphTypes(typeof(Listes360Schema).Assembly)
            .AddSystemTextJson(o => o.Encoder = JsonOptions.Encoder)
            // The library's complexity analyzer, reporting QUERY_TOO_DEEP / QUERY_TOO_COMPLEX in French. Added
            // to every execution, a cached document's too (ValidatedDocuments): a `first` may be a variable.
            .AddValidationRule(QueryLimitsRule.Create())
            .AddErrorInfoProvider(o => o.ExposeExceptionDetails = false)
            .AddUnhandledExceptionHandler(TranslateErrors));
        return services;
    }

    /// <summary>Extension set to <c>true</c> on an error the client may send again unchanged, after waiting.</summary>
    public const string RetryableExtension = "retryable";

    public const string InternalErrorCode = "INTERNAL_ERROR";

    /// <summary>Logs what needs a look (internal errors; transient failures as warnings) and answers <see cref="Translate"/>.</summary>
    private static void TranslateErrors(UnhandledExceptionContext context)
    {
        var field = context.FieldContext?.FieldDefinition.Name;
        var error = Translate(context.OriginalException, field);
        if (error.Code is InternalErrorCode or TransientFailures.Code)
        {
            var logger = context.ExecutionOptions.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("Listes360.GraphQL");
            if (error.Code == InternalErrorCode)
                logger?.LogError(context.OriginalException, "Erreur interne sur le champ {Field}", field);
            else
                logger?.LogWarning(context.OriginalException, "Échec passager de la grappe sur le champ {Field} : le client est invité à réessayer", field);
        }
        context.Exception = error;
        context.ErrorMessage = error.Message;
    }

    /// <summary>
    /// The answer to a failure in a resolver. A refused domain rule is an answer for the user, not a
    /// fault: its code and French message go out as they are. A transient failure of the cluster or its
    /// storage (<see cref="TransientFailures.IsTransient"/>) is <c>UNAVAILABLE</c>, retryable. Anything
    /// else stays an internal error whose details are not exposed.
    /// </summary>
    public static ExecutionError Translate(Exception failure, string? field)
    {
        if (failure is DomainException domain)
        {
            var error = new ExecutionError(domain.Message) { Code = domain.Code };
            if (domain.Field is not null)
                error.Extensions = new Dictionary<string, object?> { ["field"] = domain.Field };
            return error;
        }
        if (failure is Listes360.Domain.Grid.GridValidationException grid)
        {
            return new ExecutionError(grid.Message)
            {
                Code = Listes360.Domain.Grid.GridValidationException.Code,
                Extensions = new Dictionary<string, object?>
                {
                    ["field"] = grid.Errors[0].Path,
                    ["errors"] = grid.Errors.Select(e => new Dictionary<string, object?> { ["path"] = e.Path, ["message"] = e.Message }).ToList(),
                },
            };
        }
        if (TransientFailures.IsTransient(failure))
            return Unavailable();
        return new ExecutionError(field is null
            ? "Erreur interne du service ; elle a été journalisée. Réessayez plus tard."
            : $"Erreur interne lors de la lecture du champ « {field} » ; elle a été journalisée. Réessayez plus tard.")
        { Code = InternalErrorCode };
    }

    /// <summary>The cluster is changing: nothing was lost, the same request will succeed in a few seconds.</summary>
    public static ExecutionError Unavailable() => new(TransientFailures.Message)
    {
        Code = TransientFailures.Code,
        Extensions = new Dictionary<string, object?> { [RetryableExtension] = true },
    };

    /// <summary>Whether an error invites the client to send the same request again.</summary>
    public static bool IsRetryable(ExecutionError error) =>
        error.Extensions?.TryGetValue(RetryableExtension, out var value) == true && value is true;
}
