using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Tests.Persons;

public class PersonTests
{
    [Fact]
    public void Orientation_validity_includes_both_ends()
    {
        var o = Orientation.Create("D-1", KindOfSupport.Ime, new DateOnly(2025, 1, 1), new DateOnly(2026, 12, 31));
        Assert.False(o.IsValidOn(new DateOnly(2024, 12, 31)));
        Assert.True(o.IsValidOn(new DateOnly(2025, 1, 1)));
        Assert.True(o.IsValidOn(new DateOnly(2026, 12, 31)));
        Assert.False(o.IsValidOn(new DateOnly(2027, 1, 1)));
        Assert.True(Orientation.Create("D-2", KindOfSupport.Mas, new DateOnly(2025, 1, 1), null).IsValidOn(new DateOnly(2090, 1, 1)));
    }

    [Fact]
    public void Orientation_refuses_inverted_dates_and_empty_reference()
    {
        var ex = Assert.Throws<DomainException>(() => Orientation.Create("D-1", KindOfSupport.Ime, new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 1)));
        Assert.Equal("INVALID_ORIENTATION", ex.Code);
        Assert.Contains("précède", ex.Message);
        Assert.Equal("INVALID_ORIENTATION", Assert.Throws<DomainException>(() => Orientation.Create("", KindOfSupport.Ime, TestData.Today, null)).Code);
    }

    [Fact]
    public void Orientation_modalities_restrict()
    {
        var o = Orientation.Create("D-1", KindOfSupport.Ime, TestData.Today, null, [Modality.SemiResidential]);
        Assert.True(o.Allows(Modality.SemiResidential));
        Assert.False(o.Allows(Modality.Residential));
        Assert.True(Orientation.Create("D-2", KindOfSupport.Ime, TestData.Today, null).Allows(Modality.Residential));
    }

    [Fact]
    public void Identity_validates_in_french()
    {
        Assert.Equal("INVALID_NAME", Assert.Throws<DomainException>(() =>
            PersonIdentity.Create(" ", ["Léa"], new DateOnly(2010, 1, 1), Sex.Female, TestData.Today)).Code);
        Assert.Equal("INVALID_NAME", Assert.Throws<DomainException>(() =>
            PersonIdentity.Create("MARTIN", [" "], new DateOnly(2010, 1, 1), Sex.Female, TestData.Today)).Code);
        var future = Assert.Throws<DomainException>(() =>
            PersonIdentity.Create("MARTIN", ["Léa"], TestData.Today.AddDays(1), Sex.Female, TestData.Today));
        Assert.Equal("INVALID_BIRTH_DATE", future.Code);
        Assert.Contains("postérieure", future.Message);
        Assert.Equal("INVALID_COMMUNE", Assert.Throws<DomainException>(() =>
            PersonIdentity.Create("MARTIN", ["Léa"], new DateOnly(2010, 1, 1), Sex.Female, TestData.Today, residenceCommune: "6100")).Code);
    }

    [Fact]
    public void Identity_keeps_corsican_commune_and_hides_names()
    {
        var id = PersonIdentity.Create(" MARTIN ", ["Léa", "Marie"], new DateOnly(2010, 1, 1), Sex.Female, TestData.Today,
            usageName: "", residenceCommune: "2a004", mdphFileNumber: "61-12345");
        Assert.Equal("MARTIN", id.BirthName);
        Assert.Null(id.UsageName);
        Assert.Equal("2A004", id.ResidenceCommune);
        Assert.Equal("2A", id.ResidenceDepartment);
        Assert.DoesNotContain("MARTIN", id.ToString());
        Assert.DoesNotContain("Léa", id.ToString());
        Assert.Equal(16, id.AgeOn(TestData.Today));
    }

    [Fact]
    public void Situations_have_labels_and_solution_levels()
    {
        foreach (var kind in Enum.GetValues<SituationKind>())
        {
            Assert.NotEmpty(kind.Label());
            _ = kind.SolutionLevel();
        }
        Assert.Equal(SolutionLevel.None, SituationKind.AtHomeWithoutSolution.SolutionLevel());
        Assert.Equal(SolutionLevel.Inadequate, SituationKind.InChildrenEsmsUnderCreton.SolutionLevel());
        Assert.Equal(SolutionLevel.Adequate, SituationKind.InAdultEsms.SolutionLevel());
    }

    [Fact]
    public void Creton_is_20_or_over_in_a_children_esms()
    {
        var birth = new DateOnly(2006, 11, 24);
        var person = TestData.Person(birth) with { Situation = new Situation { Kind = SituationKind.InChildrenEsms, Since = new DateOnly(2015, 9, 1) } };
        Assert.False(person.IsUnderCretonOn(new DateOnly(2026, 11, 23)));
        Assert.True(person.IsUnderCretonOn(new DateOnly(2026, 11, 24)));
        Assert.False((person with { Situation = person.Situation! with { Kind = SituationKind.InAdultEsms } }).IsUnderCretonOn(new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void Carer_age_from_declared_age()
    {
        var carer = Carer.FromDeclaredAge(CarerRelationship.Parent, 72, TestData.Today, CarerStatus.Exhausted);
        Assert.Equal(1954, carer.BirthYear);
        Assert.Equal(74, carer.ApproximateAgeOn(TestData.Today.AddYears(2)));
        Assert.Equal("INVALID_CARER_AGE", Assert.Throws<DomainException>(() =>
            Carer.FromDeclaredAge(CarerRelationship.Parent, 200, TestData.Today, CarerStatus.Available)).Code);
    }

    [Fact]
    public void Person_ids_validate()
    {
        Assert.Equal("61-abc_1", PersonId.Parse(" 61-abc_1 ").Value);
        Assert.Equal("INVALID_PERSON_ID", Assert.Throws<DomainException>(() => PersonId.Parse("61 abc")).Code);
        Assert.StartsWith("61-", PersonId.New("61").Value);
    }
}
