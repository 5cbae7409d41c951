using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Candidatures;

public class EligibilityTests
{
    private static readonly DateOnly Child = Today.AddYears(-12);

    [Fact]
    public void Eligible_child_for_an_ime()
    {
        var person = Person(Child, Orientation(KindOfSupport.Ime));
        Assert.Empty(Eligibility.Check(person, Esms("183"), Modality.SemiResidential, Today));
        Assert.True(Eligibility.IsEligible(person, Esms("183"), Modality.Residential, Today));
    }

    [Fact]
    public void No_orientation()
    {
        var refusal = Assert.Single(Eligibility.Check(Person(Child), Esms("183"), Modality.SemiResidential, Today));
        Assert.Equal("ORIENTATION_MISMATCH", refusal.Code);
        Assert.Contains("aucune orientation en cours de validité", refusal.Message);
        Assert.Contains("IME", refusal.Message);
    }

    [Fact]
    public void Orientation_of_another_kind()
    {
        var refusal = Assert.Single(Eligibility.Check(Person(Child, Orientation(KindOfSupport.Sessad)), Esms("183"), Modality.SemiResidential, Today));
        Assert.Equal("ORIENTATION_MISMATCH", refusal.Code);
        Assert.Contains("SESSAD", refusal.Message);
    }

    [Fact]
    public void Expired_orientation_does_not_count()
    {
        var old = Orientation(KindOfSupport.Ime, Today.AddYears(-3), Today.AddDays(-1));
        Assert.Equal("ORIENTATION_MISMATCH", Assert.Single(Eligibility.Check(Person(Child, old), Esms("183"), Modality.SemiResidential, Today)).Code);
        Assert.Empty(Eligibility.Check(Person(Child, old), Esms("183"), Modality.SemiResidential, Today.AddDays(-1)));
    }

    [Fact]
    public void Orientation_restricted_to_another_modality()
    {
        var person = Person(Child, Orientation(KindOfSupport.Ime, modalities: Modality.SemiResidential));
        var refusal = Assert.Single(Eligibility.Check(person, Esms("183"), Modality.Residential, Today));
        Assert.Equal("ORIENTATION_MISMATCH", refusal.Code);
        Assert.Equal("modality", refusal.Field);
        Assert.Contains("Internat", refusal.Message);
    }

    [Fact]
    public void Fam_and_eam_accept_the_same_orientation()
    {
        var adult = Person(Today.AddYears(-30), Orientation(KindOfSupport.Fam));
        Assert.Empty(Eligibility.Check(adult, Esms("437"), Modality.Residential, Today));
        Assert.Empty(Eligibility.Check(adult, Esms("448"), Modality.Residential, Today));
        Assert.Equal("ORIENTATION_MISMATCH", Assert.Single(Eligibility.Check(adult, Esms("255"), Modality.Residential, Today)).Code);
    }

    [Fact]
    public void Age_out_of_range_on_the_20th_birthday()
    {
        var birth = Today.AddYears(-20);
        var person = Person(birth, Orientation(KindOfSupport.Ime));
        var refusal = Assert.Single(Eligibility.Check(person, Esms("183"), Modality.SemiResidential, Today));
        Assert.Equal("AGE_OUT_OF_RANGE", refusal.Code);
        Assert.Contains("20 ans", refusal.Message);
        Assert.Contains("de 0 à 20 ans", refusal.Message);
        Assert.Empty(Eligibility.Check(person, Esms("183"), Modality.SemiResidential, Today.AddDays(-1)));
    }

    [Fact]
    public void Modality_not_offered()
    {
        var person = Person(Child, Orientation(KindOfSupport.Ime));
        var esms = Esms("183", modalities: [Modality.SemiResidential]);
        var refusal = Assert.Single(Eligibility.Check(person, esms, Modality.Residential, Today));
        Assert.Equal("MODALITY_NOT_OFFERED", refusal.Code);
        Assert.Contains("« Internat »", refusal.Message);
    }

    [Fact]
    public void All_refusals_at_once()
    {
        var adult = Person(Today.AddYears(-25), Orientation(KindOfSupport.Mas));
        var codes = Eligibility.Check(adult, Esms("183", modalities: [Modality.SemiResidential]), Modality.Residential, Today).Select(r => r.Code);
        Assert.Equal(["ORIENTATION_MISMATCH", "AGE_OUT_OF_RANGE", "MODALITY_NOT_OFFERED"], codes);
    }

    [Fact]
    public void Camsp_is_not_in_scope()
    {
        var baby = Person(Today.AddYears(-2));
        var refusal = Assert.Single(Eligibility.Check(baby, Esms("190"), Modality.NonResidential, Today));
        Assert.Equal("KIND_NOT_IN_SCOPE", refusal.Code);
    }

    [Fact]
    public void Require_refuses_with_the_first_code_and_every_message()
    {
        var adult = Person(Today.AddYears(-25), Orientation(KindOfSupport.Mas));
        var esms = Esms("183", modalities: [Modality.SemiResidential]);
        var refusals = Eligibility.Check(adult, esms, Modality.Residential, Today);
        var e = Assert.Throws<DomainException>(() => Eligibility.Require(adult, esms, Modality.Residential, Today));
        Assert.Equal((refusals[0].Code, refusals[0].Field), (e.Code, e.Field));
        Assert.All(refusals, r => Assert.Contains(r.Message, e.Message));
        Eligibility.Require(Person(Child, Orientation(KindOfSupport.Ime)), Esms("183"), Modality.SemiResidential, Today);
    }
}
