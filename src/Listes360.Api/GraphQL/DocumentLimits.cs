using System.Globalization;
using System.Text;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Bounds a GraphQL document before the library validates or runs it, in time linear in its size:
/// GraphQL.NET's parser and validation rules recurse on nesting and expand fragments, so a document
/// of deep brackets or of chained fragments could exhaust the stack (which ends the process, not the
/// request) or a core. First a pass over the raw text and its tokens (size, tokens, nesting of
/// selections and of literals), which protects the parser; then, on the parsed document, counts of
/// definitions, spreads, aliases and root fields, and each fragment's expanded size and depth,
/// computed once per fragment, so that fragments spreading each other twice at every step are
/// refused without being expanded. Each limit comes from <see cref="RequestLimits"/>.
/// </summary>
public static class DocumentLimits
{
    public const string DocumentTooLarge = "DOCUMENT_TOO_LARGE";
    public const string TooManyTokens = "TOO_MANY_TOKENS";
    public const string TooManyDefinitions = "TOO_MANY_DEFINITIONS";
    public const string TooManyFragmentSpreads = "TOO_MANY_FRAGMENT_SPREADS";
    public const string TooManyAliases = "TOO_MANY_ALIASES";
    public const string TooManyFields = "TOO_MANY_FIELDS";
    public const string TooManyMutations = "TOO_MANY_MUTATIONS";
    public const string TooManyRootFields = "TOO_MANY_ROOT_FIELDS";
    public const string SelectionTooDeep = QueryLimitsRule.TooDeep;
    public const string LiteralTooDeep = "LITERAL_TOO_DEEP";

    /// <summary>Why a document is refused: its code, a French message, and the figure against its limit.</summary>
    public sealed record Refusal(string Code, string Message, long Actual, long Limit);

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// Size, tokens and nesting, read from the text without building anything. A lexical error or an
    /// unbalanced bracket stops the pass without a refusal: the parser then stops at the same place,
    /// having met no deeper nesting than this pass allowed, and reports the syntax error itself.
    /// </summary>
    public static Refusal? ScanText(string text)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > RequestLimits.MaxDocumentBytes)
            return new(DocumentTooLarge, Format(
                "Le document GraphQL fait {0:N0} octets, pour {1:N0} au plus. Découpez la requête, ou passez les données volumineuses en variables.",
                bytes, RequestLimits.MaxDocumentBytes), bytes, RequestLimits.MaxDocumentBytes);

        // Open brackets, innermost last: a selection set (counts in the selection depth), an argument
        // list (literals start inside it), or a literal list or input object (counts in the literal depth).
        var open = new Stack<Bracket>();
        int tokens = 0, selectionDepth = 0, literalDepth = 0, parentheses = 0;
        var source = new ROM(text.AsMemory());
        for (var position = 0; ;)
        {
            Token token;
            try
            {
                token = Lexer.Lex(source, position);
            }
            catch (Exception e) when (e is GraphQLParserException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // A lexical error (GraphQLParser 9.5 sometimes fails with an index error while quoting
                // the text around it): left to the parser, which stops at the same token.
                return null;
            }
            if (token.Kind == TokenKind.EOF)
                return null;
            position = token.End;
            if (++tokens > RequestLimits.MaxTokens)
                return new(TooManyTokens, Format(
                    "Le document GraphQL compte plus de {0:N0} éléments (noms, valeurs, ponctuation), pour {0:N0} au plus : découpez la requête.",
                    RequestLimits.MaxTokens), tokens, RequestLimits.MaxTokens);

            switch (token.Kind)
            {
                case TokenKind.PAREN_L:
                    open.Push(Bracket.Arguments);
                    parentheses++;
                    break;
                case TokenKind.BRACE_L when parentheses == 0:
                    open.Push(Bracket.Selection);
                    if (++selectionDepth > RequestLimits.MaxSelectionDepth)
                        return TooDeep(selectionDepth);
                    break;
                case TokenKind.BRACE_L or TokenKind.BRACKET_L:
                    open.Push(Bracket.Literal);
                    if (++literalDepth > RequestLimits.MaxLiteralDepth)
                        return new(LiteralTooDeep, Format(
                            "Une valeur du document GraphQL (liste ou objet d'entrée, en argument ou en variable) est imbriquée sur plus de {0} niveaux : {0} au plus.",
                            RequestLimits.MaxLiteralDepth), literalDepth, RequestLimits.MaxLiteralDepth);
                    break;
                case TokenKind.PAREN_R:
                    if (!Close(open, Bracket.Arguments))
                        return null;
                    parentheses--;
                    break;
                case TokenKind.BRACE_R when parentheses == 0:
                    if (!Close(open, Bracket.Selection))
                        return null;
                    selectionDepth--;
                    break;
                case TokenKind.BRACE_R or TokenKind.BRACKET_R:
                    if (!Close(open, Bracket.Literal))
                        return null;
                    literalDepth--;
                    break;
            }
        }
    }

    /// <summary>
    /// Counts on the parsed document, every operation included (the library validates them all).
    /// Fragments are measured once each and a fragment met again while being measured (a cycle, which
    /// validation reports) counts for nothing, so the pass is linear in the document.
    /// </summary>
    public static Refusal? CheckDocument(GraphQLDocument document)
    {
        var definitions = document.Definitions.Count;
        if (definitions > RequestLimits.MaxDefinitions)
            return new(TooManyDefinitions, Format(
                "Le document GraphQL définit {0:N0} opérations et fragments, pour {1:N0} au plus.",
                definitions, RequestLimits.MaxDefinitions), definitions, RequestLimits.MaxDefinitions);

        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        var measure = new Measure(fragments);

        long spreads = 0, aliases = 0;
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLExecutableDefinition executable)
                CountWritten(executable.SelectionSet, ref spreads, ref aliases);
        }

        // Writes first: the most precise answer for a request that would fan out into many writes.
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>()
            .Select(operation => (operation.Operation, Size: measure.Of(operation.SelectionSet)))
            .ToList();
        foreach (var (kind, size) in operations)
        {
            if (kind == OperationType.Mutation && size.RootFields > RequestLimits.MaxMutationsPerRequest)
                return new(TooManyMutations, Format(
                    "La requête demande {0:N0} mutations (alias compris), pour {1} au plus par requête : envoyez-les en plusieurs requêtes.",
                    size.RootFields, RequestLimits.MaxMutationsPerRequest), size.RootFields, RequestLimits.MaxMutationsPerRequest);
        }
        if (spreads > RequestLimits.MaxFragmentSpreads)
            return new(TooManyFragmentSpreads, Format(
                "Le document GraphQL utilise {0:N0} fois des fragments (« ...Nom »), pour {1} au plus.",
                spreads, RequestLimits.MaxFragmentSpreads), spreads, RequestLimits.MaxFragmentSpreads);
        if (aliases > RequestLimits.MaxAliases)
            return new(TooManyAliases, Format(
                "Le document GraphQL contient {0:N0} alias, pour {1} au plus.",
                aliases, RequestLimits.MaxAliases), aliases, RequestLimits.MaxAliases);
        foreach (var (_, size) in operations)
        {
            if (size.RootFields > RequestLimits.MaxRootFields)
                return new(TooManyRootFields, Format(
                    "L'opération demande {0:N0} champs à la racine (alias compris), pour {1} au plus : découpez la requête.",
                    size.RootFields, RequestLimits.MaxRootFields), size.RootFields, RequestLimits.MaxRootFields);
        }
        var fields = operations.Aggregate(0L, (sum, operation) => Math.Min(sum + operation.Size.Fields, long.MaxValue / 4));
        if (fields > RequestLimits.MaxFields)
            return new(TooManyFields, Format(
                "Une fois ses fragments développés, la requête demande plus de {0:N0} champs : {0:N0} au plus. Vérifiez que vos fragments ne s'incluent pas les uns les autres plusieurs fois.",
                RequestLimits.MaxFields), Math.Min(fields, RequestLimits.MaxFields + 1L), RequestLimits.MaxFields);
        var depth = operations.Count == 0 ? 0 : operations.Max(operation => operation.Size.Depth);
        if (depth > RequestLimits.MaxSelectionDepth)
            return TooDeep(depth);
        return null;
    }

    private static Refusal TooDeep(int depth) => new(SelectionTooDeep, Format(
        "La requête est trop imbriquée : {0} niveaux, pour {1} au plus (fragments développés). Découpez-la en plusieurs requêtes.",
        depth, RequestLimits.MaxSelectionDepth), depth, RequestLimits.MaxSelectionDepth);

    private static string Format(string format, params object[] values) => string.Format(French, format, values);

    private enum Bracket : byte { Arguments, Selection, Literal }

    private static bool Close(Stack<Bracket> open, Bracket expected) => open.TryPop(out var top) && top == expected;

    /// <summary>Spreads and aliases as written (fragments not expanded), without recursion.</summary>
    private static void CountWritten(GraphQLSelectionSet? root, ref long spreads, ref long aliases)
    {
        if (root is null)
            return;
        var pending = new Stack<GraphQLSelectionSet>();
        pending.Push(root);
        while (pending.TryPop(out var set))
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        if (field.Alias is not null)
                            aliases++;
                        if (field.SelectionSet is not null)
                            pending.Push(field.SelectionSet);
                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                    case GraphQLFragmentSpread:
                        spreads++;
                        break;
                }
            }
        }
    }

    /// <summary>What a selection set becomes once its fragments are expanded.</summary>
    private readonly record struct Size(long Fields, int Depth, long RootFields);

    /// <summary>
    /// Sizes of selection sets, each fragment measured once (memoized). Recursion follows the nesting
    /// written in the text (bounded by <see cref="ScanText"/>) and fragment chains (bounded by the
    /// number of definitions), never the expanded size.
    /// </summary>
    private sealed class Measure(Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private const long Saturated = long.MaxValue / 4;
        private readonly Dictionary<string, Size?> _fragments = new(StringComparer.Ordinal);

        public Size Of(GraphQLSelectionSet set)
        {
            long fields = 0, rootFields = 0;
            var depth = 1;
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        fields++;
                        rootFields++;
                        if (field.SelectionSet is not null)
                        {
                            var inner = Of(field.SelectionSet);
                            fields = Add(fields, inner.Fields);
                            depth = Math.Max(depth, inner.Depth + 1);
                        }
                        break;
                    case GraphQLInlineFragment inline:
                        // Counted as one level, as the text nests it (and as ScanText counts it).
                        var nested = Of(inline.SelectionSet);
                        fields = Add(fields, nested.Fields);
                        rootFields = Add(rootFields, nested.RootFields);
                        depth = Math.Max(depth, nested.Depth + 1);
                        break;
                    case GraphQLFragmentSpread spread:
                        var fragment = OfFragment(spread.FragmentName.Name.StringValue);
                        fields = Add(fields, fragment.Fields);
                        rootFields = Add(rootFields, fragment.RootFields);
                        depth = Math.Max(depth, fragment.Depth);
                        break;
                }
            }
            return new Size(fields, depth, rootFields);
        }

        private Size OfFragment(string name)
        {
            if (_fragments.TryGetValue(name, out var known))
                return known ?? default; // null: being measured, a cycle
            if (!fragments.TryGetValue(name, out var definition))
                return default; // unknown: validation reports it
            _fragments[name] = null;
            var size = Of(definition.SelectionSet);
            _fragments[name] = size;
            return size;
        }

        private static long Add(long a, long b) => Math.Min(a + b, Saturated);
    }
}
