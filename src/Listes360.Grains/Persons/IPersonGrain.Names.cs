using Listes360.Grains.Security;

namespace Listes360.Grains.Persons;

public partial interface IPersonGrain
{
    /// <summary>
    /// The person's name (birth name, then first names) for the caller of the grain that asks, or null: unknown,
    /// merged, or out of the caller's reach (a director without a candidature in their ESMS, the rule of
    /// <see cref="GetAsync"/>). For a grain that audits the read itself, once for many persons (a ranking's names).
    /// </summary>
    [ReadOnly]
    [Internal]
    [Alias("GetDisplayNameAsync")]
    Task<string?> GetDisplayNameAsync();
}
