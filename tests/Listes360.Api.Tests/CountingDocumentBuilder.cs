using System.Collections.Concurrent;
using GraphQL.Execution;
using GraphQLParser.AST;

namespace Listes360.Api.Tests;

/// <summary>The library's parser, counting how many times each query text is parsed: what the document cache saves.</summary>
public sealed class CountingDocumentBuilder : IDocumentBuilder
{
    private readonly GraphQLDocumentBuilder _parser = new();
    private readonly ConcurrentDictionary<string, int> _parses = new(StringComparer.Ordinal);

    public GraphQLDocument Build(string body)
    {
        _parses.AddOrUpdate(body, 1, (_, count) => count + 1);
        return _parser.Build(body);
    }

    /// <summary>Times <paramref name="query"/> was parsed since the host started.</summary>
    public int Parses(string query) => _parses.TryGetValue(query, out var count) ? count : 0;
}
