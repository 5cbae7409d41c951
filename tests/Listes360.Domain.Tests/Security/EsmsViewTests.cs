using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;

namespace Listes360.Domain.Tests.Security;

public sealed class EsmsViewTests
{
    private static readonly FinessNumber Own = TestData.ImeFiness;
    private static readonly FinessNumber Elsewhere = FinessNumber.Parse("610000028");
    private static readonly Caller Director = new("d", Role.EsmsDirector, [Own.Value], "61", null);

    /// <summary>The person applied to both ESMS and was admitted elsewhere: the own candidature is closed by that admission.</summary>
    private static List<Candidature> AdmittedElsewhere()
    {
        var own = TestData.Candidature(KindOfSupport.Ime, finess: Own);
        var admitted = TestData.Candidature(KindOfSupport.Ime, finess: Elsewhere).At(CandidatureStatus.Admitted);
        var effects = AdmissionEffects.OnAdmission([own, admitted], admitted, TestData.Now, "direction de l'autre ESMS");
        return [.. effects, admitted];
    }

    [Fact]
    public void A_director_sees_only_their_own_candidatures_without_the_cause_or_the_author_of_an_admission_elsewhere()
    {
        var all = AdmittedElsewhere();

        var own = Assert.Single(EsmsView.OwnCandidatures(Director, all));

        Assert.Equal(Own, own.Finess);
        Assert.Equal(CandidatureStatus.SolutionFoundElsewhere, own.Status);
        Assert.All(own.History, h => Assert.Null(h.Cause));
        Assert.DoesNotContain(own.History, h => h.By == "direction de l'autre ESMS");
        Assert.True(EsmsView.SolutionFoundElsewhere(Director, all));
    }

    [Fact]
    public void An_admission_at_their_own_esms_is_no_solution_elsewhere()
    {
        var admitted = TestData.Candidature(KindOfSupport.Ime, finess: Own).At(CandidatureStatus.Admitted);

        Assert.False(EsmsView.SolutionFoundElsewhere(Director, [admitted]));
        Assert.True(EsmsView.HasApplied(Director, [admitted]));
        Assert.False(EsmsView.HasApplied(Director, [TestData.Candidature(finess: Elsewhere)]));
    }

    [Fact]
    public void The_situation_keeps_its_kind_but_not_another_esms_nor_the_note()
    {
        var situation = new Situation { Kind = SituationKind.InElderlyCare, Since = TestData.Today, Esms = Elsewhere, Note = "accueilli à l'IME voisin" };

        var seen = EsmsView.Situation(Director, situation)!;

        Assert.Equal(SituationKind.InElderlyCare, seen.Kind);
        Assert.Null(seen.Esms);
        Assert.Null(seen.Note);
        Assert.Equal(Own, EsmsView.Situation(Director, situation with { Esms = Own })!.Esms);
    }

    [Fact]
    public void References_differ_by_esms_and_by_secret_and_never_contain_the_id()
    {
        var person = PersonId.Parse("61-4f0c9a");
        var references = new EsmsReferences(new byte[32]);

        var reference = references.Of(Own, person);

        Assert.Matches("^ref-[0-9a-f]{20}$", reference);
        Assert.Equal(reference, references.Of(Own, person));
        Assert.NotEqual(reference, references.Of(Elsewhere, person));
        Assert.NotEqual(reference, new EsmsReferences(Enumerable.Repeat((byte)1, 32).ToArray()).Of(Own, person));
        Assert.DoesNotContain("4f0c9a", reference);
        Assert.Throws<ArgumentException>(() => new EsmsReferences(new byte[16]));
    }

    [Fact]
    public void References_without_their_own_secret_come_from_the_nir_secret_the_same_on_every_silo()
    {
        var person = PersonId.Parse("61-4f0c9a");
        var nirSecret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var own = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

        var onOneSilo = EsmsReferences.FromSecrets(null, nirSecret).Of(Own, person);

        Assert.Equal(onOneSilo, EsmsReferences.FromSecrets(null, nirSecret).Of(Own, person));
        // Derived, not the NIR secret itself used as the key.
        Assert.NotEqual(onOneSilo, new EsmsReferences(Convert.FromBase64String(nirSecret)).Of(Own, person));
        Assert.Equal(new EsmsReferences(Convert.FromBase64String(own)).Of(Own, person), EsmsReferences.FromSecrets(own, nirSecret).Of(Own, person));
        Assert.NotEqual(EsmsReferences.FromSecrets(null, null).Of(Own, person), EsmsReferences.FromSecrets(null, null).Of(Own, person));
    }

    [Fact]
    public void A_director_gets_references_without_ids_and_staff_get_both()
    {
        var person = PersonId.Parse("61-4f0c9a");
        var result = new SequentialSearchResult([new SequentialCombination(person, [], 1, 0)], 1, 1, 1);

        var forDirector = Assert.Single(EsmsView.WithReferences(result, p => "ref-" + p.Value.Length, withoutIds: true).Combinations);
        var forStaff = Assert.Single(EsmsView.WithReferences(result, p => "ref-" + p.Value.Length, withoutIds: false).Combinations);

        Assert.Null(forDirector.Person.Value);
        Assert.Equal("ref-9", forDirector.Reference);
        Assert.Equal(person, forStaff.Person);
        Assert.Equal("ref-9", forStaff.Reference);
    }
}
