using GraphQL.Types;
using Listes360.Grains.Common;

namespace Listes360.Api.GraphQL;

/// <summary>A page of a list with its cursor (cursor pagination), for any item type.</summary>
public abstract class PageGraphType<TItem, TItemGraphType> : ObjectGraphType<Page<TItem>>
    where TItemGraphType : IGraphType
{
    protected PageGraphType(string name, string description)
    {
        Name = name;
        Description = description;
        Field(p => p.Items, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TItemGraphType>>>)).Description("Les éléments de la page.");
        Field(p => p.EndCursor, nullable: true).Description("Curseur à passer en « after » pour la page suivante.");
        Field(p => p.HasNextPage).Description("Une page suit-elle ?");
        Field(p => p.TotalCount).Description("Nombre total d'éléments de la liste filtrée.");
    }
}
