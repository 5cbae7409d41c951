using System.Globalization;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;

namespace Listes360.Api.GraphQL;

/// <summary>
/// GraphQL.NET's complexity analyzer, with our own codes and French messages: a request deeper
/// than <see cref="GraphQLRegistration.MaxDepth"/> gets <see cref="TooDeep"/>, one whose computed
/// complexity exceeds <see cref="GraphQLRegistration.MaxComplexity"/> gets <see cref="TooComplex"/>
/// (the library reports both as the same <c>COMPLEXITY</c> error, told apart only by its English text).
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

    public static QueryLimitsRule Create() => new(new ComplexityOptions
    {
        MaxDepth = GraphQLRegistration.MaxDepth,
        MaxComplexity = GraphQLRegistration.MaxComplexity,
    });

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
