using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Candidatures;

public class OrientationExpiryTests
{
    [Fact]
    public void Candidatures_expire_the_day_after_the_orientation_ends()
    {
        var end = Today.AddMonths(1);
        var person = Person(Today.AddYears(-12), Orientation(KindOfSupport.Ime, Today.AddYears(-1), end), Orientation(KindOfSupport.Sessad, to: end.AddYears(1)));
        var ime = Domain.Candidatures.Candidature.For(CandidatureId.Parse("C-ime"), person.Id, Esms("183"), Modality.SemiResidential, Today, Now, Staff);
        var sessad = Candidature(KindOfSupport.Sessad, Modality.InCommunity, id: "C-sessad");
        var admitted = Candidature(id: "C-adm").At(CandidatureStatus.Admitted);

        Assert.Empty(OrientationExpiry.Due(person, [ime, sessad, admitted], end));
        var expired = Assert.Single(OrientationExpiry.Apply(person, [ime, sessad, admitted], end.AddDays(1), Now));
        Assert.Equal("C-ime", expired.Id.Value);
        Assert.Equal(CandidatureStatus.Expired, expired.Status);
        Assert.Equal(CandidatureReason.OrientationEnded, expired.History[^1].Reason);
    }

    [Fact]
    public void A_fam_orientation_keeps_an_eam_candidature()
    {
        var person = Person(Today.AddYears(-30), Orientation(KindOfSupport.Fam));
        var eam = Domain.Candidatures.Candidature.For(CandidatureId.Parse("C-eam"), person.Id, Esms("448"), Modality.Residential, Today, Now, Staff);
        Assert.Equal(KindOfSupport.Fam, eam.Kind);
        Assert.Empty(OrientationExpiry.Due(person, [eam], Today));
        Assert.Single(OrientationExpiry.Due(person with { Orientations = [] }, [eam], Today));
    }
}
