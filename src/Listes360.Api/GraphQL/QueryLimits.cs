using System.Globalization;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;

namespace Listes360.Api.GraphQL;

/// <summary>
/// GraphQL.NET's complexity analyzer, with our own codes and French messages: a request deeper
/// than <see cref="GraphQLRegistration.MaxDepth"/> gets <see cref="TooDeep"/>, one whose computed
/// complexity exceeds <see cref="GraphQLRegistration.MaxComplexity"/> gets <see cref="TooComplex"/>
/// (the library reports both as the same <c>COMPLEXITY</c> error, told apart only by its English text);
/// introspection is priced by what it selects, so that GraphiQL and graphql-js can read the schema.
/// Both are validation errors: nothing runs, and the endpoint answers 400.
/// </summary>
/// <remarks>
/// Depth counts the nested selection sets, the operation's own included (<c>{ a { b { c } } }</c> is 3).
/// Complexity adds 1 per field, each multiplied by the sizes of the lists above it: a list field
/// counts its <c>first</c> argument when given, else 5 (the library's default).
/// </remarks>
public sealed class QueryLimitsRule(ComplexityOptions options) : ComplexityValidationRule(options)
{
    public const string TooDeep = "QUERY_TOO_DEEP";
    public const string TooComplex = "QUERY_TOO_COMPLEX";

    /// <summary>What one <c>__schema</c> selection costs: the whole schema, whatever is asked of it.</summary>
    public const double SchemaIntrospectionImpact = 1_000;

    /// <summary>What one <c>__type</c> selection costs.</summary>
    public const double TypeIntrospectionImpact = 10;

    public static QueryLimitsRule Create() => new(new ComplexityOptions
    {
        MaxDepth = GraphQLRegistration.MaxDepth,
        MaxComplexity = GraphQLRegistration.MaxComplexity,
    });

    /// <summary>
    /// The schema is small and fixed, but the library guesses 5 items per list and compounds it
    /// level after level: it prices the standard introspection query (GraphiQL's, graphql-js')
    /// at more than half a million and would refuse it. An operation that selects only
    /// introspection (<c>__schema</c>, <c>__type</c>, <c>__typename</c>) therefore costs
    /// <see cref="SchemaIntrospectionImpact"/> per <c>__schema</c> and <see cref="TypeIntrospectionImpact"/>
    /// per <c>__type</c>: a few full introspections fit in one request, not more. Its depth is still
    /// checked. Any other operation is priced by the library.
    /// </summary>
    protected override async ValueTask<(double TotalComplexity, int MaximumDepth)> CalculateComplexityAsync(ValidationContext context)
    {
        var computed = await base.CalculateComplexityAsync(context).ConfigureAwait(false);
        double introspection = 0;
        foreach (var selection in context.Operation.SelectionSet.Selections)
        {
            if (selection is not GraphQLField field)
                return computed;
            if (field.Name.Value == "__schema")
                introspection += SchemaIntrospectionImpact;
            else if (field.Name.Value == "__type")
                introspection += TypeIntrospectionImpact;
            else if (field.Name.Value == "__typename")
                introspection += 1;
            else
                return computed;
        }
        return (introspection, computed.MaximumDepth);
    }

    protected override ValueTask ValidateComplexityAsync(ValidationContext context, double totalComplexity, int maxDepth)
    {
        var french = CultureInfo.GetCultureInfo("fr-FR");
        if (maxDepth > Options.MaxDepth)
        {
            context.ReportError(Error(context, TooDeep, string.Format(french,
                "La requête est trop imbriquée : {0} niveaux, pour {1} au plus. Découpez-la en plusieurs requêtes.",
                maxDepth, Options.MaxDepth), maxDepth, Options.MaxDepth.Value));
        }
        if (totalComplexity > Options.MaxComplexity)
        {
            context.ReportError(Error(context, TooComplex, string.Format(french,
                "La requête est trop coûteuse : complexité {0:N0}, pour {1:N0} au plus. Demandez moins de champs ou des pages plus petites (argument « first »), ou découpez-la.",
                totalComplexity, Options.MaxComplexity), totalComplexity, Options.MaxComplexity.Value));
        }
        return default;
    }

    private static ValidationError Error(ValidationContext context, string code, string message, double actual, double limit) =>
        new(context.Document.Source, code, message, context.Operation)
        {
            Code = code,
            Extensions = new Dictionary<string, object?> { ["actual"] = actual, ["limit"] = limit },
        };
}
