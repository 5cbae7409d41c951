using System.Text;
using GraphQL;
using GraphQL.Types;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Grains.Grid;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;

namespace Listes360.Api.GraphQL;

/// <summary>
/// Opaque global ids of the objects that have an identity: base64 of « Type:key » (the key: a person id,
/// « person id/candidature id », a FINESS number, « département/version » of a grid). A client passes
/// them back to <c>node(id:)</c> and reads nothing into them.
/// </summary>
public static class GlobalId
{
    public const string Person = "Person";
    public const string Candidature = "Candidature";
    public const string Esms = "Esms";
    public const string CriteriaGrid = "CriteriaGrid";

    private static readonly string[] Types = [Person, Candidature, Esms, CriteriaGrid];

    public static string Encode(string type, string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{type}:{key}"));

    /// <summary>The type and key of a global id, or an <c>INVALID_NODE_ID</c> error on <c>id</c>.</summary>
    public static (string Type, string Key) Decode(string? id)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(id ?? ""));
        }
        catch (FormatException)
        {
            throw Invalid(id);
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || !Types.Contains(text[..colon], StringComparer.Ordinal))
            throw Invalid(id);
        return (text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The two parts of a composite key (« a/b »), or an <c>INVALID_NODE_ID</c> error.</summary>
    public static (string First, string Second) Split(string key, string? id)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < key.Length - 1 ? (key[..slash], key[(slash + 1)..]) : throw Invalid(id);
    }

    public static DomainException Invalid(string? id) =>
        new("INVALID_NODE_ID",
            $"« {Shorten(id)} » n'est pas un identifiant global de Listes360 : reprenez le « nodeId » d'une personne, d'une candidature, d'un ESMS ou d'une grille.", "id");

    private static string Shorten(string? id) => id is null ? "" : id.Length <= 60 ? id : id[..60] + "…";
}

/// <summary>Relay's Node interface: an object that <c>node(id:)</c> finds again from its global id.</summary>
public sealed class NodeInterface : InterfaceGraphType
{
    public NodeInterface()
    {
        Name = "Node";
        Description = "Un objet doté d'une identité, que « node(id:) » retrouve à partir de son identifiant global « nodeId » (Relay). Le champ « id » des personnes et candidatures reste leur identifiant propre au département, celui que prennent les mutations.";
        Field<NonNullGraphType<IdGraphType>>("nodeId").Description("Identifiant global opaque, à passer tel quel à « node(id:) ».");
    }
}

internal static class NodeFields
{
    /// <summary>The <c>nodeId</c> field and the Node interface on an object type.</summary>
    public static void Implement<TSource>(ObjectGraphType<TSource> type, string nodeType, Func<TSource, string> key)
    {
        type.Interface<NodeInterface>();
        type.IsTypeOf = source => source is TSource;
        type.Field<NonNullGraphType<IdGraphType>>("nodeId").Description("Identifiant global opaque (Relay), à passer à « node(id:) ».")
            .Resolve(c => GlobalId.Encode(nodeType, key(c.Source)));
    }

    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NodeInterface>("node")
            .Description("Un objet par son identifiant global « nodeId » (Relay) : personne, candidature, ESMS ou version de grille ; null s'il n'existe pas. Rôles et refus : exactement ceux du champ qui lit le même objet (person, esms, grid) : une direction d'ESMS n'obtient une personne, ou une candidature, que par une candidature à l'un de ses ESMS.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "L'identifiant global (« nodeId »).")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<string>("id");
                var (type, key) = GlobalId.Decode(id);
                var grains = c.Grains();
                switch (type)
                {
                    case GlobalId.Person:
                        return await grains.GetGrain<IPersonGrain>(PersonId.Parse(key).Value).GetAsync();
                    case GlobalId.Candidature:
                    {
                        var (person, candidature) = GlobalId.Split(key, id);
                        var candidatureId = CandidatureId.Parse(candidature);
                        var snapshot = await grains.GetGrain<IPersonGrain>(PersonId.Parse(person).Value).GetAsync();
                        return snapshot?.Candidatures.FirstOrDefault(x => x.Id == candidatureId);
                    }
                    case GlobalId.Esms:
                        return await grains.GetGrain<IEsmsGrain>(FinessNumber.Parse(key).Value).GetAsync();
                    case GlobalId.CriteriaGrid:
                    {
                        var (department, version) = GlobalId.Split(key, id);
                        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
                            throw GlobalId.Invalid(id);
                        return (await grains.GetGrain<IGridGrain>(QueryType.Department(department)).GetVersionsAsync()).FirstOrDefault(g => g.Version == number);
                    }
                    default:
                        return null;
                }
            });
    }
}
