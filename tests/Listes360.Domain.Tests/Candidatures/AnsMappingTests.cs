using Listes360.Domain.Candidatures;

namespace Listes360.Domain.Tests.Candidatures;

public class AnsMappingTests
{
    [Fact]
    public void Every_status_has_an_ans_J252_code_from_the_value_set()
    {
        foreach (var status in Enum.GetValues<CandidatureStatus>())
        {
            var info = status.Info();
            Assert.Equal(AnsVocabulary.StatusSystem, info.Ans.System);
            Assert.Same(AnsVocabulary.Statuses[info.Ans.Code], info.Ans);
            Assert.NotEmpty(info.Ans.Display);
            Assert.Equal(info.AnsIsApproximate, info.AnsNote is not null);
            Assert.Equal(status, CandidatureStatuses.FromCode(info.Code));
        }
        Assert.Equal(Enum.GetValues<CandidatureStatus>().Length, CandidatureStatuses.All.Count);
    }

    [Theory]
    [InlineData(CandidatureStatus.Received, "42")]
    [InlineData(CandidatureStatus.UnderReview, "42")]
    [InlineData(CandidatureStatus.Waiting, "72")]
    [InlineData(CandidatureStatus.Offered, "71")]
    [InlineData(CandidatureStatus.Admitted, "47")]
    [InlineData(CandidatureStatus.RefusedByEsms, "46")]
    [InlineData(CandidatureStatus.SolutionFoundElsewhere, "45")]
    [InlineData(CandidatureStatus.Expired, "37")]
    public void Status_codes(CandidatureStatus status, string code) => Assert.Equal(code, status.Info().Ans.Code);

    [Fact]
    public void Every_reason_maps_to_J251_or_says_it_has_none()
    {
        foreach (var reason in Enum.GetValues<CandidatureReason>())
        {
            var info = reason.Info();
            Assert.NotEmpty(info.Label);
            Assert.NotEmpty(info.AllowedFor);
            if (info.Ans is not null)
            {
                Assert.Equal(AnsVocabulary.ReasonSystem, info.Ans.System);
                Assert.Same(AnsVocabulary.Reasons[info.Ans.Code], info.Ans);
                Assert.Equal(reason, CandidatureReasons.FromAnsCode(info.Ans.Code));
            }
            Assert.Equal(reason, CandidatureReasons.FromCode(info.Code));
        }
    }

    [Theory]
    [InlineData(CandidatureReason.TechnicalPlatformUnsuited, "86")]
    [InlineData(CandidatureReason.InsufficientResources, "114")]
    [InlineData(CandidatureReason.LifeProjectMismatch, "115")]
    [InlineData(CandidatureReason.DisabilityTypeMismatch, "116")]
    [InlineData(CandidatureReason.AgeIncompatible, "122")]
    [InlineData(CandidatureReason.GeographicDistance, "113")]
    [InlineData(CandidatureReason.Moved, "120")]
    [InlineData(CandidatureReason.Deceased, "124")]
    [InlineData(CandidatureReason.AdmittedElsewhere, "119")]
    public void Reason_codes(CandidatureReason reason, string code) => Assert.Equal(code, reason.Info().Ans!.Code);

    [Fact]
    public void Ans_109_is_read_as_moved() => Assert.Equal(CandidatureReason.Moved, CandidatureReasons.FromAnsCode("109"));

    [Fact]
    public void Every_status_requiring_a_reason_has_reasons() =>
        Assert.All(CandidatureStatuses.All.Where(s => s.RequiresReason), s => Assert.NotEmpty(CandidatureReasons.AllowedFor(s.Status)));

    [Fact]
    public void Unknown_codes_are_refused_in_french()
    {
        Assert.Contains("Statuts admis", Assert.Throws<DomainException>(() => CandidatureStatuses.FromCode("PENDING")).Message);
        Assert.Contains("Motifs admis", Assert.Throws<DomainException>(() => CandidatureReasons.FromCode("NOPE")).Message);
        Assert.Null(CandidatureReasons.FromAnsCode("150"));
    }
}
