using Listes360.Domain.Persons;

namespace Listes360.Application.Persons;

/// <summary>A person's situation as a user gives it.</summary>
public sealed record SituationInput(SituationKind Kind, DateOnly Since, string? Esms = null, string? Note = null)
{
    public Situation ToSituation(DateOnly today) => Situation.Create(Kind, Since, Esms, Note, today);
}

/// <summary>The main carer as a user gives it: the declared age becomes a birth year.</summary>
public sealed record CarerInput(CarerRelationship Relationship, int Age, CarerStatus Status)
{
    public Carer ToCarer(DateOnly today) => Carer.FromDeclaredAge(Relationship, Age, today, Status);
}
