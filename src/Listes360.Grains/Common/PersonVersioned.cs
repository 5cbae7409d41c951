using Listes360.Domain.Persons;

namespace Listes360.Grains.Common;

/// <summary>What a person's grain sends a projection at a version of its file, for the projections' applies in bulk.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Common.PersonVersioned`1")]
public sealed record PersonVersioned<T>([property: Id(0)] PersonId Person, [property: Id(1)] long Version, [property: Id(2)] T Value);
