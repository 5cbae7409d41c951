using FsCheck;
using FsCheck.Xunit;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Candidatures;

public class AdmissionEffectsTests
{
    [Fact]
    public void Admission_moves_other_open_candidatures_of_the_same_kind()
    {
        var admitted = Candidature(KindOfSupport.Ime, id: "C-adm").At(CandidatureStatus.Admitted);
        var itep = Candidature(KindOfSupport.Itep, id: "C-itep").At(CandidatureStatus.Waiting);
        var ime2 = Candidature(KindOfSupport.Ime, finess: OtherImeFiness, id: "C-ime2");
        var sessad = Candidature(KindOfSupport.Sessad, Modality.InCommunity, id: "C-sessad").At(CandidatureStatus.Waiting);
        var respite = Candidature(KindOfSupport.Ime, Modality.Temporary, id: "C-at").At(CandidatureStatus.Waiting);
        var refused = CandidatureStateMachine.Transition(Candidature(KindOfSupport.Ime, id: "C-ref"), CandidatureStatus.RefusedByEsms,
            CandidatureReason.InsufficientResources, Now, Staff);

        var changed = AdmissionEffects.OnAdmission([admitted, itep, ime2, sessad, respite, refused], admitted, Now.AddMinutes(1));

        Assert.Equal(["C-itep", "C-ime2"], changed.Select(c => c.Id.Value));
        Assert.All(changed, c =>
        {
            Assert.Equal(CandidatureStatus.SolutionFoundElsewhere, c.Status);
            Assert.Equal(CandidatureReason.AdmittedElsewhere, c.History[^1].Reason);
            Assert.Equal(admitted.Id, c.History[^1].Cause);
            Assert.Equal(Actors.System, c.History[^1].By);
        });
    }

    [Fact]
    public void Adults_accommodation_is_one_kind()
    {
        var admitted = Candidature(KindOfSupport.Mas, Modality.Residential, id: "C-mas").At(CandidatureStatus.Admitted);
        var fam = Candidature(KindOfSupport.Fam, Modality.Residential, id: "C-fam");
        var esat = Candidature(KindOfSupport.Esat, id: "C-esat");
        Assert.Equal(["C-fam"], AdmissionEffects.AffectedBy([admitted, fam, esat], admitted).Select(c => c.Id.Value));
    }

    [Fact]
    public void Preferred_candidature_is_kept()
    {
        var admitted = Candidature(id: "C-adm").At(CandidatureStatus.Admitted);
        var preferred = CandidatureStateMachine.SetWaitingForPreferred(Candidature(finess: OtherImeFiness, id: "C-pref").At(CandidatureStatus.Waiting), true, Now, Staff);
        Assert.Empty(AdmissionEffects.OnAdmission([admitted, preferred], admitted, Now));
    }

    [Fact]
    public void Temporary_admission_ends_nothing()
    {
        var admitted = Candidature(modality: Modality.Temporary, id: "C-at").At(CandidatureStatus.Admitted);
        Assert.Empty(AdmissionEffects.OnAdmission([admitted, Candidature(id: "C-other")], admitted, Now));
    }

    [Fact]
    public void Requires_an_admitted_candidature_of_the_same_person()
    {
        var waiting = Candidature(id: "C-w").At(CandidatureStatus.Waiting);
        Assert.Equal("NOT_ADMITTED", Assert.Throws<DomainException>(() => AdmissionEffects.OnAdmission([waiting], waiting, Now)).Code);
        var admitted = Candidature(id: "C-a").At(CandidatureStatus.Admitted);
        var stranger = Candidature(person: "61-someone-else", id: "C-s");
        var ex = Assert.Throws<DomainException>(() => AdmissionEffects.OnAdmission([admitted, stranger], admitted, Now));
        Assert.Equal("PERSON_MISMATCH", ex.Code);
    }

    [Fact]
    public void Undoing_the_admission_restores_what_it_moved()
    {
        var admitted = Candidature(id: "C-adm").At(CandidatureStatus.Admitted);
        var offered = Candidature(finess: OtherImeFiness, id: "C-off").At(CandidatureStatus.Offered);
        var received = Candidature(id: "C-rec");
        var moved = AdmissionEffects.OnAdmission([admitted, offered, received], admitted, Now);
        var confirmed = CandidatureStateMachine.ConfirmSolutionFoundElsewhere(moved.Single(c => c.Id.Value == "C-rec"), Now, Staff);
        var failed = CandidatureStateMachine.Transition(admitted, CandidatureStatus.RefusedByEsms, CandidatureReason.TrialPeriodInconclusive, Now, Staff);

        Assert.Equal("STILL_ADMITTED", Assert.Throws<DomainException>(() =>
            AdmissionEffects.OnAdmissionUndone([admitted, moved[0], confirmed], admitted, Now)).Code);
        var restored = AdmissionEffects.OnAdmissionUndone([failed, moved.Single(c => c.Id.Value == "C-off"), confirmed], failed, Now.AddDays(1));

        var back = Assert.Single(restored);
        Assert.Equal("C-off", back.Id.Value);
        Assert.Equal(CandidatureStatus.Offered, back.Status);
    }

    [Fact]
    public void Keep_as_preferred_reopens_and_marks_one_per_family()
    {
        var admitted = Candidature(id: "C-adm").At(CandidatureStatus.Admitted);
        var a = Candidature(finess: OtherImeFiness, id: "C-a").At(CandidatureStatus.Waiting);
        var b = Candidature(KindOfSupport.Itep, id: "C-b").At(CandidatureStatus.UnderReview);
        var moved = AdmissionEffects.OnAdmission([admitted, a, b], admitted, Now);

        var kept = AdmissionEffects.KeepAsPreferred([admitted, .. moved], a.Id, Now, "conseiller-1");
        Assert.Equal(CandidatureStatus.Waiting, kept.Status);
        Assert.True(kept.WaitingForPreferred);
        Assert.Equal(a.Version + 3, kept.Version);

        var ex = Assert.Throws<DomainException>(() =>
            AdmissionEffects.KeepAsPreferred([admitted, kept, moved.Single(c => c.Id == b.Id)], b.Id, Now, "conseiller-1"));
        Assert.Equal("PREFERRED_ALREADY_MARKED", ex.Code);
        Assert.Equal("CANDIDATURE_NOT_FOUND", Assert.Throws<DomainException>(() =>
            AdmissionEffects.KeepAsPreferred([admitted], b.Id, Now, "conseiller-1")).Code);
    }

    [Property(MaxTest = 200)]
    public bool After_an_admission_no_open_unpreferred_candidature_of_the_same_kind_remains(int[] kinds, int[] walks)
    {
        var kindValues = Enum.GetValues<KindOfSupport>();
        var candidatures = kinds.Take(8).Select((k, i) =>
        {
            var kind = kindValues[Math.Abs(k % kindValues.Length)];
            var c = Candidature(kind, kind.Info().UsualModalities[0], id: $"C-{i}");
            return StateMachineTests.RandomWalk(c, walks.Skip(i).Take(3).ToArray());
        }).ToList();
        var admitted = Candidature(KindOfSupport.Ime, Modality.SemiResidential, id: "C-admitted").At(CandidatureStatus.Admitted);
        var changed = AdmissionEffects.OnAdmission([admitted, .. candidatures], admitted, Now).ToDictionary(c => c.Id);
        var after = candidatures.Select(c => changed.GetValueOrDefault(c.Id) ?? c).ToList();
        return after.All(c => !(c.IsOpen && !c.WaitingForPreferred && c.Modality != Modality.Temporary && c.Kind.IsSameKindAs(KindOfSupport.Ime)))
            && changed.Values.All(c => c.Status == CandidatureStatus.SolutionFoundElsewhere)
            && after.Where(c => !changed.ContainsKey(c.Id)).All(c => candidatures.Contains(c));
    }
}
