using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;
using Listes360.Grains.Persons;
using Listes360.Grains.Security;

namespace Listes360.Grains.Grid;

public sealed partial class RankingGrain
{
    public async Task<PersonNames> GetNamesAsync(IReadOnlyList<PersonId> persons)
    {
        if (persons.Count > PersonNames.MaxPersons)
            throw new DomainException("TOO_MANY_PERSONS",
                $"Une lecture des noms d'un classement porte sur {PersonNames.MaxPersons} personnes au plus ; {persons.Count} demandées.", "persons");
        var caller = CallerContext.Current;
        // Read before the first await: a write interleaved later does not change the set asked.
        var candidates = state.State.Facts.Values.Where(v => v.Count > 0).Select(v => v[^1].Facts.PersonId).ToHashSet();
        var asked = persons.Distinct()
            .Where(p => candidates.Contains(p) && (caller is null || AccessPolicy.DenyScope(caller, KeyScope.Person, p.Value) is null))
            .ToList();
        var names = await Task.WhenAll(asked.Select(async p => (Person: p, Name: await GrainFactory.GetGrain<IPersonGrain>(p.Value).GetDisplayNameAsync())));
        return new PersonNames([.. names.Where(n => n.Name is not null).Select(n => new PersonName(n.Person, n.Name!))]);
    }
}
