using System.Collections.Immutable;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Persons;

/// <summary>
/// A person as the domain rules see them: identity, CDAPH orientations, current situation and carers
/// (the person grain's state, or the part of it the rules need).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Persons.PersonRecord")]
public sealed record PersonRecord
{
    [Id(0)] public required PersonId Id { get; init; }
    [Id(1)] public required PersonIdentity Identity { get; init; }
    [Id(2)] public ImmutableArray<Orientation> Orientations { get; init; } = [];
    [Id(3)] public Situation? Situation { get; init; }
    [Id(4)] public ImmutableArray<Carer> Carers { get; init; } = [];
    /// <summary>Urgency flagged by a territorial staff or a PAG (read by the criteria grid), <c>null</c> when none.</summary>
    [Id(5)] public UrgencyFlag? Urgency { get; init; }

    /// <summary>The orientations in force on a date.</summary>
    public IEnumerable<Orientation> OrientationsValidOn(DateOnly date) =>
        (Orientations.IsDefault ? [] : Orientations).Where(o => o.IsValidOn(date));

    /// <summary>
    /// Amendement Creton on a date: 20 or over and in a children's ESMS (whatever the situation says:
    /// a person recorded "in a children's ESMS" who turned 20 is under Creton).
    /// </summary>
    public bool IsUnderCretonOn(DateOnly date) =>
        Situation is { Kind: SituationKind.InChildrenEsms or SituationKind.InChildrenEsmsUnderCreton }
        && Identity.AgeOn(date) >= 20;

    /// <summary>Whether the person has an adult orientation in force on the date.</summary>
    public bool HasAdultOrientationOn(DateOnly date) =>
        OrientationsValidOn(date).Any(o => o.Kind.Info().Audience == Audience.Adults);
}
