using System.Diagnostics;
using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;

namespace Listes360.Api.Telemetry;

/// <summary>
/// One span around each GraphQL execution (source <see cref="Listes360Telemetry.GraphQLSourceName"/>), named after
/// the operation ("mutation createCandidature"), child of the HTTP request's span and parent of the grain calls'.
/// Counts each mutation field by its outcome (<c>listes360.graphql.mutations</c>, tags field and code).
/// </summary>
public sealed class GraphQLTracing : IConfigureExecution
{
    public float SortOrder => -1000; // outermost: the span covers validation and every resolver

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        var operation = Operation(options);
        var type = operation?.Operation.ToString().ToLowerInvariant() ?? "unknown";
        var fields = operation?.SelectionSet.Selections.OfType<GraphQLField>().Select(f => f.Name.StringValue).ToList() ?? [];
        var name = options.OperationName ?? operation?.Name?.StringValue;
        using var activity = Listes360Telemetry.GraphQLSource.StartActivity(
            $"{type} {name ?? string.Join(",", fields)}".TrimEnd(), ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("graphql.operation.type", type);
            if (name is not null)
                activity.SetTag("graphql.operation.name", name);
            activity.SetTag("listes360.graphql.fields", string.Join(",", fields));
        }
        var result = await next(options);
        var codes = result.Errors?.Select(e => e.Code ?? "ERROR").Distinct().ToList() ?? [];
        if (activity is not null && codes.Count > 0)
        {
            activity.SetTag("listes360.graphql.error_codes", string.Join(",", codes));
            activity.SetStatus(ActivityStatusCode.Error, codes[0]);
        }
        if (type == "mutation" && result.Executed)
        {
            foreach (var field in fields)
            {
                var code = result.Errors?.FirstOrDefault(e => e.Path?.FirstOrDefault()?.ToString() == field)?.Code ?? "OK";
                Listes360Telemetry.Mutations.Add(1, new KeyValuePair<string, object?>("field", field), new KeyValuePair<string, object?>("code", code));
            }
        }
        return result;
    }

    private static GraphQLOperationDefinition? Operation(ExecutionOptions options)
    {
        var operations = options.Document?.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (operations is null || operations.Count == 0)
            return null;
        return options.OperationName is { } wanted
            ? operations.FirstOrDefault(o => o.Name?.StringValue == wanted)
            : operations.Count == 1 ? operations[0] : null;
    }
}
