using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQL.Types.Relay.DataObjects;
using Listes360.Domain.Paging;
using Listes360.Grains.Common;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Relay connections, the one paging style of every list: <c>first</c>/<c>after</c> in,
/// <c>edges { node cursor } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } totalCount</c> out.
/// The data objects are GraphQL.NET's own (<see cref="Connection{TNode}"/>, <see cref="Edge{TNode}"/>,
/// <see cref="PageInfo"/>); the graph types are declared here with French descriptions and non-null
/// fields. Sizes and cursors follow <see cref="PageLimits"/> and <see cref="Cursor"/>: an edge's cursor is
/// the encoded sort key of its node, the same key the grain pages by.
/// </summary>
public static class Connections
{
    /// <summary>A grain's page as a connection; <paramref name="key"/> is the sort key the grain paged by.</summary>
    public static Connection<T> Of<T>(Page<T> page, Func<T, string> key, string? after) =>
        Of<T, Connection<T>>(page.Items, key, after, page.EndCursor, page.HasNextPage, page.TotalCount);

    /// <summary>An already ordered list, paged here by <paramref name="key"/> (ordinal order of the keys).</summary>
    public static Connection<T> Of<T>(IReadOnlyList<T> ordered, Func<T, string> key, string? after, int first) =>
        Of(Paging.Of(ordered, key, after, first), key, after);

    /// <summary>Builds a connection (or a subclass carrying more fields) from a page's parts.</summary>
    public static TConnection Of<T, TConnection>(IReadOnlyList<T> items, Func<T, string> key, string? after, string? endCursor, bool hasNextPage, int totalCount)
        where TConnection : Connection<T>, new()
    {
        var edges = items.Select(item => new Edge<T> { Node = item, Cursor = Cursor.Encode(key(item)) }).ToList();
        return new TConnection
        {
            Edges = edges,
            TotalCount = totalCount,
            PageInfo = new PageInfo
            {
                HasNextPage = hasNextPage,
                HasPreviousPage = after is not null,
                StartCursor = edges.Count > 0 ? edges[0].Cursor : null,
                EndCursor = edges.Count > 0 ? edges[^1].Cursor : endCursor,
            },
        };
    }

    /// <summary>The two paging arguments of every connection field, with the same descriptions.</summary>
    public static FieldBuilder<TSource, TReturn> Paged<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field
            .Argument<IntGraphType>("first", $"Taille de page (1 à {PageLimits.MaxPageSize}, {PageLimits.DefaultPageSize} par défaut).")
            .Argument<StringGraphType>("after", "Curseur d'une arête (« cursor ») ou « pageInfo.endCursor » de la page précédente : la page commence juste après.");

    /// <summary>
    /// The <c>first</c> argument, or the default page size. The pager checks it (INVALID_PAGE_SIZE in
    /// French when out of range), behind the grain's access check: a refused caller learns nothing more.
    /// </summary>
    public static int First(this IResolveFieldContext context) => context.GetArgument("first", PageLimits.DefaultPageSize);

    /// <summary>The <c>after</c> argument (checked by the pager: INVALID_CURSOR in French when it is not one of ours).</summary>
    public static string? After(this IResolveFieldContext context) => context.GetArgument<string?>("after");
}

/// <summary>Where a page stands in its list (Relay's PageInfo).</summary>
public sealed class PageInfoGraphType : ObjectGraphType<PageInfo>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Description = "Où la page se situe dans la liste : curseurs de ses bords et pages voisines.";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Description("Une page suit-elle ?").Resolve(c => c.Source.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Description("Vrai quand la page commence après un curseur « after » (des éléments la précèdent).").Resolve(c => c.Source.HasPreviousPage);
        Field<StringGraphType>("startCursor").Description("Curseur du premier élément de la page ; null pour une page vide.").Resolve(c => c.Source.StartCursor);
        Field<StringGraphType>("endCursor").Description("Curseur à passer en « after » pour la page suivante (celui du dernier élément ; pour une page vide, le « after » reçu).").Resolve(c => c.Source.EndCursor);
    }
}

/// <summary>An edge: a node of the list and its cursor.</summary>
public abstract class EdgeGraphType<TNode, TNodeGraphType> : ObjectGraphType<Edge<TNode>>
    where TNodeGraphType : IGraphType
{
    protected EdgeGraphType(string name, string description)
    {
        Name = name;
        Description = description;
        // The node is the edge itself, not one more object: it costs nothing in the complexity limit, its fields do.
        Field<NonNullGraphType<TNodeGraphType>>("node").Description("L'élément.").Resolve(c => c.Source.Node).WithComplexityImpact(0);
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Curseur de l'élément : passé en « after », la page suivante commence juste après lui.").Resolve(c => c.Source.Cursor);
    }
}

/// <summary>A page of a list: its edges, where it stands, and how many items the filtered list has.</summary>
public abstract class ConnectionGraphType<TNode, TEdgeGraphType, TConnection> : ObjectGraphType<TConnection>
    where TEdgeGraphType : IGraphType
    where TConnection : Connection<TNode>
{
    protected ConnectionGraphType(string name, string description, string totalCountDescription = "Nombre total d'éléments de la liste filtrée.")
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeGraphType>>>>("edges").Description("Les éléments de la page, chacun avec son curseur.").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Description("Curseurs et pages voisines.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description(totalCountDescription).Resolve(c => c.Source.TotalCount ?? 0);
    }
}

/// <summary>A connection with nothing more than the Relay fields.</summary>
public abstract class ConnectionGraphType<TNode, TEdgeGraphType>(string name, string description, string totalCountDescription = "Nombre total d'éléments de la liste filtrée.")
    : ConnectionGraphType<TNode, TEdgeGraphType, Connection<TNode>>(name, description, totalCountDescription)
    where TEdgeGraphType : IGraphType;
