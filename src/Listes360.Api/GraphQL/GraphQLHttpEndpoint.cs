using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Orleans.Runtime;
using Listes360.Api.Security;
using Listes360.Domain.Idempotency;
using Listes360.Domain.Security;
using Listes360.Grains.Idempotency;
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
    public const int MaxRequestBytes = RequestLimits.MaxRequestBytes;

    /// <summary>
    /// Orleans request-context key of a fresh id per GraphQL request, carried with every grain call it
    /// makes: the audit writes one row per request and field with it.
    /// </summary>
    public const string RequestIdKey = RequestAuditDeduplication.RequestKey;

    /// <summary>Overrides <see cref="RequestLimits.TimeBudgetSeconds"/> (tests: 0 spends it at once).</summary>
    public const string TimeBudgetSetting = "Limits:TimeBudgetSeconds";

    public const string TimeoutCode = "QUERY_TIMEOUT";

    /// <summary>The library's code for a document that cannot be parsed.</summary>
    public const string SyntaxErrorCode = "SYNTAX_ERROR";

    /// <summary>
    /// Response header of a mutation sent with an <c>Idempotency-Key</c>: <c>stored</c> (its answer will be
    /// replayed), <c>replayed</c> (this is the stored answer), or <c>not-stored</c> with the reason
    /// (<c>retryable</c>, <c>too-large</c>, <c>not-executed</c>, <c>storage</c>): the next request with the key runs again.
    /// </summary>
    public const string IdempotencyStatusHeader = "Idempotency-Status";

    public static IEndpointRouteBuilder MapListes360GraphQL(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
    {
        endpoints.MapPost(pattern, (HttpContext http) => GuardedAsync(http, HandlePostAsync)).RequireAuthorization();
        endpoints.MapGet(pattern, (HttpContext http) => GuardedAsync(http, HandleGetAsync)).RequireAuthorization();
        return endpoints;
    }

    /// <summary>
    /// A fault in one request is that request's error, never the process's, and its answer carries
    /// a code and a French message, not the exception's internals (which go to the log).
    /// </summary>
    private static async Task GuardedAsync(HttpContext http, Func<HttpContext, Task> handle)
    {
        try
        {
            await handle(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client left: nobody to answer.
        }
        catch (Exception e) when (TransientFailures.IsTransient(e))
        {
            // Outside a resolver (the idempotency record, the audit of a refusal): the whole request failed, nothing ran.
            http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Listes360.GraphQL").LogWarning(e, "Échec passager de la grappe hors résolveur : le client est invité à réessayer");
            if (!http.Response.HasStarted)
            {
                http.Response.Headers.Clear();
                await WriteRequestErrorAsync(http, StatusCodes.Status503ServiceUnavailable, TransientFailures.Code, TransientFailures.Message,
                    retryAfterSeconds: TransientFailures.RetryAfterSeconds);
            }
        }
        catch (Exception e)
        {
            http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Listes360.GraphQL").LogError(e, "Erreur interne hors résolveur");
            if (!http.Response.HasStarted)
            {
                http.Response.Headers.Clear();
                await WriteRequestErrorAsync(http, StatusCodes.Status500InternalServerError, GraphQLRegistration.InternalErrorCode,
                    "Erreur interne du service ; elle a été journalisée. Réessayez plus tard.");
            }
        }
    }

    private static async Task HandlePostAsync(HttpContext http)
    {
        if (!IsJsonBody(http.Request.ContentType))
        {
            await WriteRequestErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"La requête doit être envoyée en JSON UTF-8 (Content-Type: application/json) ; reçu : « {http.Request.ContentType} ».");
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

    /// <summary>
    /// GraphQL over HTTP bodies are JSON: <c>application/json</c> or the GraphQL media types, in UTF-8.
    /// Parsed, not matched by prefix, so that <c>application/jsonp</c> or <c>application/json-patch+json</c>
    /// are not taken for JSON.
    /// </summary>
    public static bool IsJsonBody(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType is { } mediaType
        && AcceptedBodyMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase)
        && (parsed.CharSet is null || string.Equals(parsed.CharSet.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))
        && parsed.Parameters.All(p => string.Equals(p.Name, "charset", StringComparison.OrdinalIgnoreCase));

    public static readonly IReadOnlyList<string> AcceptedBodyMediaTypes = ["application/json", "application/graphql+json", ResponseMediaType];

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

        // A text already executed once has passed every check below and the document-only validation rules.
        var validated = http.RequestServices.GetRequiredService<ValidatedDocuments>();
        var document = validated.Find(request.Query, request.OperationName);
        var cached = document is not null;
        // Bounded before the library parses, validates or runs anything (RequestLimits).
        if (!cached && DocumentLimits.ScanText(request.Query) is { } tooBig)
        {
            await WriteResultAsync(http, Refused(tooBig));
            return;
        }
        try
        {
            document ??= http.RequestServices.GetRequiredService<IDocumentBuilder>().Build(request.Query);
        }
        catch (Exception e) when (e is GraphQLParserException or SyntaxError)
        {
            // Left to the executer, which reports the syntax error in its usual form.
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // GraphQLParser 9.5 fails this way while quoting the text around some syntax errors (a
            // carriage return or a control character in a string): still the client's syntax error.
            await WriteResultAsync(http, NotExecuted(SyntaxErrorCode,
                "Le document GraphQL contient une erreur de syntaxe (chaîne non fermée, caractère de contrôle ou retour chariot dans une chaîne, ponctuation inattendue) : corrigez-le."));
            return;
        }
        if (!cached && document is not null && DocumentLimits.CheckDocument(document) is { } tooMuch)
        {
            await WriteResultAsync(http, Refused(tooMuch));
            return;
        }
        var writes = document is not null && Writes(document, request.OperationName);
        if (allowMutations && writes)
        {
            var limiter = http.RequestServices.GetRequiredService<WriteRateLimiter>();
            if (limiter.TryAcquire(caller.Subject) is { } retryAfter)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                await WriteRequestErrorAsync(http, StatusCodes.Status429TooManyRequests, WriteRateLimiter.Code,
                    $"Trop de requêtes d'écriture pour {caller.Subject} : {limiter.PerMinute} par minute au plus (jusqu'à {limiter.Burst} d'affilée). Réessayez dans {seconds} s.",
                    retryAfterSeconds: seconds);
                return;
            }
        }

        // A mutation with an Idempotency-Key runs once per caller and key: a retry gets the first answer.
        KeyedAttempt? keyed = null;
        if (allowMutations && writes && http.Request.Headers.TryGetValue(IdempotencyRules.HeaderName, out var keyValues))
        {
            if (IdempotencyRules.CheckKey(keyValues.ToArray()) is { } invalid)
            {
                await WriteRequestErrorAsync(http, StatusCodes.Status400BadRequest, IdempotencyRules.InvalidKeyCode, invalid);
                return;
            }
            var operationKey = IdempotencyKeys.GrainKey(caller, keyValues[0]!);
            keyed = new KeyedAttempt(
                http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IIdempotencyGrain>(operationKey),
                Guid.NewGuid().ToString("N"));
            // The grains a keyed mutation writes remember it, for a retry that runs again after a failover.
            RequestContext.Set(OperationKey.ContextKey, operationKey);
            var requestHash = IdempotencyKeys.RequestHash(request.Query, request.OperationName,
                JsonSerializer.Serialize<IReadOnlyDictionary<string, object?>?>(request.Variables));
            IdempotencyBegin begun;
            using (CallerContext.As(Caller.ServiceItself))
                begun = await keyed.Grain.BeginAsync(requestHash, keyed.Attempt,
                    http.RequestServices.GetService<Orleans.Runtime.ILocalSiloDetails>()?.SiloAddress.ToParsableString());
            switch (begun.Outcome)
            {
                case IdempotencyOutcome.Replay:
                    http.Response.StatusCode = begun.Response!.Status;
                    http.Response.ContentType = begun.Response.ContentType;
                    http.Response.Headers[IdempotencyStatusHeader] = "replayed";
                    await http.Response.WriteAsync(begun.Response.Body, System.Text.Encoding.UTF8, http.RequestAborted);
                    return;
                case IdempotencyOutcome.KeyReused:
                    await WriteRequestErrorAsync(http, StatusCodes.Status422UnprocessableEntity, IdempotencyRules.KeyReusedCode,
                        $"La clé {IdempotencyRules.HeaderName} « {keyValues[0]} » a déjà servi, pour vous, à une autre requête (document, opération ou variables différents) ; " +
                        "rien n'a été exécuté. Prenez une nouvelle clé pour chaque opération distincte, et renvoyez la même clé seulement avec la même requête.");
                    return;
                case IdempotencyOutcome.InProgress:
                    await WriteRequestErrorAsync(http, StatusCodes.Status409Conflict, IdempotencyRules.InProgressCode,
                        $"La requête envoyée avec la clé {IdempotencyRules.HeaderName} « {keyValues[0]} » est encore en cours d'exécution ; " +
                        "rien n'a été exécuté une seconde fois. Réessayez dans quelques secondes : vous recevrez sa réponse.",
                        retryAfterSeconds: KeyedAttempt.InProgressRetryAfterSeconds);
                    return;
            }
        }

        // A read is stopped when its budget is spent. A write runs to its end, as before: stopped
        // between two of its fields it would answer an error for writes already made; writes are
        // bounded by their number per request and by the caller's rate instead.
        var budgetSeconds = http.RequestServices.GetRequiredService<IConfiguration>().GetValue(TimeBudgetSetting, (double)RequestLimits.TimeBudgetSeconds);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (!writes)
        {
            if (budgetSeconds > 0)
                budget.CancelAfter(TimeSpan.FromSeconds(budgetSeconds));
            else
                budget.Cancel(); // A timer of 0 would fire later, on another thread.
        }
        var executer = http.RequestServices.GetRequiredService<IDocumentExecuter<ISchema>>();
        ExecutionResult result;
        // A keyed write runs to its end even when its client leaves: the client's retry then gets its answer.
        using var keyedBudget = new CancellationTokenSource();
        using (CallerContext.As(caller))
        {
            RequestContext.Set(RequestIdKey, Guid.NewGuid().ToString("N"));
            try
            {
                budget.Token.ThrowIfCancellationRequested();
                result = await executer.ExecuteAsync(options =>
                {
                    options.Query = request.Query;
                    options.Document = document;
                    options.OperationName = request.OperationName;
                    options.Variables = request.Variables;
                    options.Extensions = request.Extensions;
                    options.RequestServices = http.RequestServices;
                    options.User = http.User;
                    options.CancellationToken = keyed is null ? budget.Token : keyedBudget.Token;
                    // The registration adds QueryLimitsRule to these; a cached document skips the rules that read only the document.
                    IEnumerable<global::GraphQL.Validation.IValidationRule> rules = cached ? ValidatedDocuments.PerRequestRules : global::GraphQL.Validation.DocumentValidator.CoreRules;
                    if (!allowMutations)
                        rules = rules.Append(QueriesOnlyOverGet.Instance);
                    options.ValidationRules = rules;
                });
                if (!cached && result.Executed && document is not null)
                    validated.Keep(request.Query, request.OperationName, document);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
            {
                await WriteRequestErrorAsync(http, StatusCodes.Status503ServiceUnavailable, TimeoutCode,
                    $"La requête a dépassé le temps alloué ({budgetSeconds:0.#} s) et a été interrompue. Demandez moins à la fois (pages plus petites, moins de champs).");
                return;
            }
            catch when (keyed is not null)
            {
                // Nothing to replay: the key is freed for the client's next attempt (or held until its lease ends if this fails too).
                await keyed.CompleteAsync(http, null);
                throw;
            }
            finally
            {
                RequestContext.Remove(RequestIdKey);
            }
        }
        if (keyed is null)
        {
            await WriteResultAsync(http, result);
            return;
        }
        var rendered = await RenderAsync(http, result);
        var (stored, status) = Keep(result, rendered.Body.Length);
        var kept = await keyed.CompleteAsync(http, stored
            ? new IdempotentResponse(rendered.Status, rendered.ContentType, System.Text.Encoding.UTF8.GetString(rendered.Body))
            : null);
        http.Response.Headers[IdempotencyStatusHeader] = stored && !kept ? "not-stored; reason=storage" : status;
        await SendAsync(http, rendered);
    }

    /// <summary>
    /// Whether a keyed mutation's answer is kept for replay, and the <see cref="IdempotencyStatusHeader"/>
    /// that says so. Not kept: a request that never ran (nothing was applied: fixed, it may reuse its key),
    /// an answer with a retryable error (the client's retry must be a real attempt), an answer over
    /// <see cref="IdempotencyKeys.MaxStoredResponseBytes"/>.
    /// </summary>
    internal static (bool Store, string Status) Keep(ExecutionResult result, int bodyBytes) =>
        !result.Executed ? (false, "not-stored; reason=not-executed")
        : result.Errors?.Any(GraphQLRegistration.IsRetryable) == true ? (false, "not-stored; reason=retryable")
        : bodyBytes > IdempotencyKeys.MaxStoredResponseBytes ? (false, "not-stored; reason=too-large")
        : (true, "stored");

    /// <summary>A keyed mutation's attempt: its record's grain and the id that owns the record while it runs.</summary>
    private sealed record KeyedAttempt(IIdempotencyGrain Grain, string Attempt)
    {
        public const int InProgressRetryAfterSeconds = 2;

        /// <summary>Keeps <paramref name="response"/> for replay, or frees the key (null); a failure here is logged, not the client's.</summary>
        public async Task<bool> CompleteAsync(HttpContext http, IdempotentResponse? response)
        {
            // The request has run: during a failover its record's grain may be moving, so a passing failure is tried again, twice, briefly.
            for (var tries = 1; ; tries++)
            {
                try
                {
                    using (CallerContext.As(Caller.ServiceItself))
                        return await Grain.CompleteAsync(Attempt, response);
                }
                catch (Exception e) when (tries < 3 && TransientFailures.IsTransient(e))
                {
                    await Task.Delay(TimeSpan.FromSeconds(tries), CancellationToken.None);
                }
                catch (Exception e)
                {
                    Log(http, e);
                    return false;
                }
            }
        }

        /// <summary>The record stays « in progress » until its lease ends (<see cref="IdempotencyRules.Lease"/>): retries get IDEMPOTENCY_IN_PROGRESS till then.</summary>
        private static void Log(HttpContext http, Exception e) =>
            http.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Listes360.GraphQL")
                .LogWarning(e, "Réponse non enregistrée pour une clé d'idempotence ; la clé reste prise jusqu'à la fin de son bail");
    }

    /// <summary>Whether the operation that will run is a mutation (unknown names are left to validation).</summary>
    private static bool Writes(GraphQLDocument document, string? operationName) =>
        document.Definitions.OfType<GraphQLOperationDefinition>().Any(operation =>
            operation.Operation == OperationType.Mutation
            && (string.IsNullOrEmpty(operationName) || operation.Name?.StringValue == operationName));

    /// <summary>A document refused by <see cref="DocumentLimits"/>, answered as a validation error: nothing ran.</summary>
    private static ExecutionResult Refused(DocumentLimits.Refusal refusal) => NotExecuted(refusal.Code, refusal.Message,
        new Dictionary<string, object?> { ["actual"] = refusal.Actual, ["limit"] = refusal.Limit });

    private static ExecutionResult NotExecuted(string code, string message, Dictionary<string, object?>? extensions = null) => new()
    {
        Executed = false,
        Errors = [new ExecutionError(message) { Code = code, Extensions = extensions }],
    };

    private static async Task WriteResultAsync(HttpContext http, ExecutionResult result)
    {
        // Only an answer made of retryable errors alone needs looking at (for Retry-After): the others stream out.
        if (result.Errors?.Count > 0 && result.Errors.All(GraphQLRegistration.IsRetryable))
        {
            await SendAsync(http, await RenderAsync(http, result));
            return;
        }
        var (status, contentType) = StatusOf(http, result);
        SetHead(http, status, contentType, retryAfter: false);
        var serializer = http.RequestServices.GetRequiredService<IGraphQLSerializer>();
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    /// <summary>An answer serialized, with its status and media type, before anything is sent.</summary>
    private sealed record Rendered(int Status, string ContentType, byte[] Body, bool RetryAfter);

    private static async Task<Rendered> RenderAsync(HttpContext http, ExecutionResult result)
    {
        var (status, contentType) = StatusOf(http, result);
        using var buffer = new MemoryStream();
        await http.RequestServices.GetRequiredService<IGraphQLSerializer>().WriteAsync(buffer, result, CancellationToken.None);
        var body = buffer.ToArray();
        return new Rendered(status, contentType, body, WhollyRetryable(result, body));
    }

    private static async Task SendAsync(HttpContext http, Rendered rendered)
    {
        SetHead(http, rendered.Status, rendered.ContentType, rendered.RetryAfter);
        await http.Response.Body.WriteAsync(rendered.Body, http.RequestAborted);
    }

    /// <summary>
    /// GraphQL over HTTP: a request that never executed (syntax, validation, limits) is the client's
    /// fault, 400 in <c>application/graphql-response+json</c>; an executed one is 200, even when all its
    /// fields failed (its <c>data</c> entry is there: a partial response, not a request error).
    /// </summary>
    private static (int Status, string ContentType) StatusOf(HttpContext http, ExecutionResult result)
    {
        var mediaType = PreferredMediaType(http.Request);
        var status = !result.Executed && mediaType == ResponseMediaType
            ? (result.Errors?.Any(e => e.Code == QueriesOnlyOverGet.Code) == true ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status400BadRequest)
            : StatusCodes.Status200OK;
        return (status, mediaType + "; charset=utf-8");
    }

    private static void SetHead(HttpContext http, int status, string contentType, bool retryAfter)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status405MethodNotAllowed)
            http.Response.Headers.Allow = "POST";
        if (retryAfter)
            http.Response.Headers.RetryAfter = TransientFailures.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        http.Response.ContentType = contentType;
    }

    /// <summary>
    /// The whole answer is a passing failure: every error retryable and no field answered (<c>data</c>
    /// null, or each of its root fields null). Then <c>Retry-After</c> says when to send it again; the
    /// status stays 200 (the GraphQL-over-HTTP rule for an executed request, see <see cref="StatusOf"/>).
    /// </summary>
    internal static bool WhollyRetryable(ExecutionResult result, byte[] body)
    {
        if (result.Errors is not { Count: > 0 } errors || !errors.All(GraphQLRegistration.IsRetryable))
            return false;
        using var json = JsonDocument.Parse(body);
        return !json.RootElement.TryGetProperty("data", out var data)
            || data.ValueKind == JsonValueKind.Null
            || (data.ValueKind == JsonValueKind.Object && data.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Null));
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

    /// <summary>
    /// A request error (no <c>data</c>). With <paramref name="retryAfterSeconds"/> it is retryable:
    /// <c>extensions.retryable: true</c> and an HTTP <c>Retry-After</c>.
    /// </summary>
    private static async Task WriteRequestErrorAsync(HttpContext http, int status, string code, string message, int? retryAfterSeconds = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ResponseMediaType + "; charset=utf-8";
        var extensions = new Dictionary<string, object> { ["code"] = code };
        if (retryAfterSeconds is { } seconds)
        {
            extensions[GraphQLRegistration.RetryableExtension] = true;
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        await JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            errors = new[] { new { message, extensions } },
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
