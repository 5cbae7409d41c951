namespace Listes360.Api.GraphQL;

/// <summary>
/// Every limit a request meets, in one place: the endpoint, the document check, the complexity rule,
/// the persisted-query store and the write rate limiter read them here, and a test compares each one
/// with the README's « Limites des requêtes » table, so that the documented and the enforced numbers
/// cannot drift apart.
/// </summary>
/// <remarks>
/// The numbers leave room for every query the service's own clients send (GraphiQL's introspection
/// is about 2 KiB, 400 tokens and 200 fields once its fragments are expanded; an import is one
/// mutation whose file travels in a variable) and refuse, before anything is validated or run,
/// what only a hostile or broken client sends.
/// </remarks>
public static class RequestLimits
{
    /// <summary>A POST body (query, variables, extensions): an imported file travels in a variable.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>The text of the GraphQL document itself, in UTF-8 bytes.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    /// <summary>Lexical tokens of the document (names, punctuation, values, comments).</summary>
    public const int MaxTokens = 20_000;

    /// <summary>Operations and fragments defined in one document.</summary>
    public const int MaxDefinitions = 100;

    /// <summary>Fragment spreads (<c>...Name</c>) written in the document.</summary>
    public const int MaxFragmentSpreads = 100;

    /// <summary>Aliased fields written in the document.</summary>
    public const int MaxAliases = 100;

    /// <summary>
    /// Fields once every fragment spread is replaced by its fragment: what validation and execution
    /// actually visit. Fragments that spread each other twice double at every step; this bound refuses
    /// them in linear time.
    /// </summary>
    public const int MaxFields = 1_000;

    /// <summary>Nested selection sets, the operation's own included (<c>{ a { b { c } } }</c> is 3), through fragments.</summary>
    public const int MaxSelectionDepth = 15;

    /// <summary>Nested lists and input objects in an argument, a variable's type or a default value.</summary>
    public const int MaxLiteralDepth = 10;

    /// <summary>Root fields of a mutation, aliases included: each is a write.</summary>
    public const int MaxMutationsPerRequest = 10;

    /// <summary>Root fields of any operation, aliases included.</summary>
    public const int MaxRootFields = 20;

    /// <summary>Largest computed complexity (1 per field, times the size of every list above it).</summary>
    public const int MaxComplexity = 5_000;

    /// <summary>
    /// Time a read may spend in validation and execution before it is cancelled. Documents are already
    /// bounded, so this is a backstop against slow storage holding a request: it leaves room for a
    /// cold silo on a loaded machine, which took more than 10 s in the test suites.
    /// </summary>
    public const int TimeBudgetSeconds = 30;

    /// <summary>Requests carrying a mutation, per caller (token subject) and minute, sustained.</summary>
    public const int WritesPerMinute = 60;

    /// <summary>Requests carrying a mutation a caller may send at once before the per-minute rate applies.</summary>
    public const int WriteBurst = 30;

    /// <summary>Largest page (<c>first</c>) of a list.</summary>
    public const int MaxPageSize = Grains.Common.Paging.MaxPageSize;

    /// <summary>Largest page (<c>first</c>) of the audit journal.</summary>
    public const int MaxAuditPageSize = Grains.Security.AuditGrain.MaxPageSize;

    /// <summary>Texts the persisted-query store keeps per API host.</summary>
    public const int PersistedQueryCapacity = 2_000;

    /// <summary>UTF-8 bytes the persisted-query store keeps per API host, all texts together.</summary>
    public const int PersistedQueryStoreBytes = 16 * 1024 * 1024;

    /// <summary>Validated documents kept per API host (<see cref="ValidatedDocuments"/>).</summary>
    public const int ValidatedDocumentCapacity = 1_000;

    /// <summary>Their query texts in memory (two bytes a character), all together; their parsed trees take a few times more.</summary>
    public const int ValidatedDocumentTextBytes = 4 * 1024 * 1024;

    /// <summary>Configuration keys that override the write rate (tests, or a département with other habits).</summary>
    public const string WritesPerMinuteSetting = "Limits:WritesPerMinute";

    public const string WriteBurstSetting = "Limits:WriteBurst";
}
