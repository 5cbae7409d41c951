using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Grid;

public partial interface IRankingGrain
{
    /// <summary>
    /// The names of these persons, read together for a page of the ranking: only persons with a candidature in
    /// this ranking, each within the caller's reach as <c>person(id:)</c> would have it (the same département
    /// rule, and a director only through a candidature to their ESMS); others are left out (shown by their id).
    /// One audit entry lists the persons whose name was read (<see cref="PersonNames.AuditDetail"/>).
    /// Interleaves with everything: the persons it asks may be delivering their facts to this ranking meanwhile.
    /// </summary>
    [ReadOnly, AlwaysInterleave]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Admin, Scope = KeyScope.Finess, AuditReads = true)]
    [Alias("GetNamesAsync")]
    Task<PersonNames> GetNamesAsync(IReadOnlyList<PersonId> persons);
}

/// <summary>A person's name as a page shows it: birth name, then first names.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.PersonName")]
public sealed record PersonName([property: Id(0)] PersonId Person, [property: Id(1)] string Name);

/// <summary>The names read by one <see cref="IRankingGrain.GetNamesAsync"/>; its audit entry names each person read.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Grid.PersonNames")]
public sealed record PersonNames([property: Id(0)] IReadOnlyList<PersonName> Names) : IAuditedRead
{
    /// <summary>At most this many persons per call (a page of the ranking and its excluded candidatures).</summary>
    public const int MaxPersons = 500;

    public string AuditDetail => "persons=" + string.Join(",", Names.Select(n => n.Person.Value));
}
