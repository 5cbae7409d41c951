using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using Listes360.Api.Security;
using Listes360.Grains.Security;

namespace Listes360.Api.GraphQL;

/// <summary>
/// GraphQL over HTTP (graphql.github.io/graphql-over-http): POST with a JSON body, GET for queries,
/// answers in <c>application/graphql-response+json</c>. Written here because GraphQL.Server is not
/// served by this project's package registry.
/// </summary>
public static class GraphQLHttpEndpoint
{
    public const string ResponseMediaType = "application/graphql-response+json";
    public const int MaxRequestBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapListes360GraphQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
    {
        endpoints.MapPost(pattern, HandlePostAsync).RequireAuthorization();
        endpoints.MapGet(pattern, HandleGetAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task HandlePostAsync(HttpContext http)
    {
        if (http.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                "La requête doit être envoyée en JSON (Content-Type: application/json).");
            return;
        }
        if (http.Request.ContentLength > MaxRequestBytes)
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status413PayloadTooLarge, "REQUEST_TOO_LARGE",
                $"La requête dépasse la taille maximale de {MaxRequestBytes / 1024} Kio.");
            return;
        }

        GraphQLRequest? request;
        try
        {
            var body = await ReadBodyAsync(http.Request, http.RequestAborted);
            if (body is null)
            {
                await WriteRequestErrorAsync(http, StatusCodes.Status413PayloadTooLarge, "REQUEST_TOO_LARGE",
                    $"La requête dépasse la taille maximale de {MaxRequestBytes / 1024} Kio.");
                return;
            }
            var serializer = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
            request = serializer.Deserialize<GraphQLRequest>(body);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, "INVALID_JSON",
                $"Le corps de la requête n'est pas un JSON GraphQL valide : {e.Message}");
            return;
        }
        await ExecuteAsync(http, request, allowMutations: true);
    }

    private static async Task HandleGetAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (!TryReadInputs(http, "variables", out var variables, out var error)
            || !TryReadInputs(http, "extensions", out var extensions, out error))
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, "INVALID_JSON", error!);
            return;
        }
        var request = new GraphQLRequest
        {
            Query = query["query"].FirstOrDefault(),
            OperationName = query["operationName"].FirstOrDefault(),
            Variables = variables,
            Extensions = extensions,
        };
        await ExecuteAsync(http, request, allowMutations: false);
    }

    private static async Task ExecuteAsync(HttpContext http, GraphQLRequest? request, bool allowMutations)
    {
        if (request is not null)
        {
            var (text, code, message) = http.RequestServices.GetRequiredService<PersistedQueries>().Resolve(request.Query, request.Extensions);
            if (code is not null)
            {
                // A miss is part of the protocol (the client resends with the text): 200, as clients expect.
                await WriteRequestErrorAsync(http, code == PersistedQueries.NotFound ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, code, message!);
                return;
            }
            request.Query = text;
        }
        if (string.IsNullOrWhiteSpace(request?.Query))
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, "QUERY_MISSING",
                "La requête ne contient pas de champ « query ».");
            return;
        }

        var (caller, refusal) = Listes360Claims.ToCaller(http.User);
        if (caller is null)
        {
            await ApiAudit.RefusedAsync(http, "GraphQL", refusal!);
            await WriteRequestErrorAsync(http, StatusCodes.Status403Forbidden, "FORBIDDEN", refusal!);
            return;
        }

        var executer = http.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
        using var acting = CallerContext.As(caller);
        RequestContext.Set("listes360.request", Guid.NewGuid().ToString("N"));
        var result = await executer.ExecuteAsync(options =>
        {
            options.Query = request.Query;
            options.OperationName = request.OperationName;
            options.Variables = request.Variables;
            options.Extensions = request.Extensions;
            options.RequestServices = http.RequestServices;
            options.User = http.User;
            options.CancellationToken = http.RequestAborted;
            if (!allowMutations)
                options.ValidationRules = global::GraphQL.Validation.DocumentValidator.CoreRules.Append(QueriesOnlyOverGet.Instance);
        });
        RequestContext.Remove("listes360.request");

        // A request that never executed (syntax, validation, limits) is the client's fault: 400.
        var notExecuted = !result.Executed;
        var mediaType = PreferredMediaType(http.Request);
        http.Response.StatusCode = notExecuted && mediaType == ResponseMediaType
            ? (result.Errors?.Any(e => e.Code == QueriesOnlyOverGet.Code) == true ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status400BadRequest)
            : StatusCodes.Status200OK;
        if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            http.Response.Headers.Allow = "POST";
        http.Response.ContentType = mediaType + "; charset=utf-8";
        var serializer = http.RequestServices.GetRequiredService<IGraphQLSerializer>();
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    /// <summary>A JSON object passed in the query string (GET), absent or empty meaning none.</summary>
    private static bool TryReadInputs(HttpContext http, string parameter, out Inputs? inputs, out string? error)
    {
        inputs = null;
        error = null;
        if (http.Request.Query[parameter].FirstOrDefault() is not { Length: > 0 } raw)
            return true;
        try
        {
            inputs = http.RequestServices.GetRequiredService<IGraphQLTextSerializer>().Deserialize<Inputs>(raw);
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            error = $"Le paramètre « {parameter} » n'est pas un objet JSON valide : {e.Message}";
            return false;
        }
    }

    /// <summary>GraphQL-over-HTTP: the new media type unless the client asks only for legacy JSON.</summary>
    private static string PreferredMediaType(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0 || accept.Contains(ResponseMediaType, StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal))
            return ResponseMediaType;
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) ? "application/json" : ResponseMediaType;
    }

    /// <summary>The body as text, or null when it exceeds <see cref="MaxRequestBytes"/>.</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task WriteRequestErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ResponseMediaType + "; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            errors = new[] { new { message, extensions = new { code } } },
        }, GraphQLRegistration.JsonOptions, http.RequestAborted);
    }

    /// <summary>GraphQL-over-HTTP forbids executing a mutation through GET.</summary>
    private sealed class QueriesOnlyOverGet : global::GraphQL.Validation.ValidationRuleBase
    {
        public const string Code = "MUTATION_OVER_GET";
        public static readonly QueriesOnlyOverGet Instance = new();

        public override ValueTask<global::GraphQL.Validation.INodeVisitor?> GetPreNodeVisitorAsync(global::GraphQL.Validation.ValidationContext context)
        {
            if (context.Operation.Operation != OperationType.Query)
                context.ReportError(new global::GraphQL.Validation.ValidationError(
                    context.Document.Source, Code,
                    "Les mutations doivent être envoyées en POST ; GET n'accepte que des requêtes de lecture.", context.Operation)
                { Code = Code });
            return default;
        }
    }
}
