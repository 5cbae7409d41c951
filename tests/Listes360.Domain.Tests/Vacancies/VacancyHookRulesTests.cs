using Listes360.Domain.Vacancies;

namespace Listes360.Domain.Tests.Vacancies;

public class VacancyHookRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";

    [Fact]
    public void The_signature_is_the_hmac_sha256_of_the_time_and_the_body_and_verifies_only_with_the_same_secret_body_and_time()
    {
        const string body = """{"id":"V-1/2","text":"Place libérée : 3 candidat(s) proposé(s)."}""";
        var header = VacancyHookRules.Sign(Secret, At, body);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes($"{At.ToUnixTimeSeconds()}.{body}")));
        Assert.Equal($"t={At.ToUnixTimeSeconds()},v1={expected}", header);
        Assert.True(VacancyHookRules.Verify(header, Secret, body, At.AddMinutes(1), TimeSpan.FromMinutes(5)));
        Assert.False(VacancyHookRules.Verify(header, Secret + "x", body, At, TimeSpan.FromMinutes(5)));
        Assert.False(VacancyHookRules.Verify(header, Secret, body.Replace('3', '4'), At, TimeSpan.FromMinutes(5)));
        Assert.False(VacancyHookRules.Verify(header, Secret, body, At.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(VacancyHookRules.Verify(header.Replace($"t={At.ToUnixTimeSeconds()}", $"t={At.ToUnixTimeSeconds() + 1}"), Secret, body, At, TimeSpan.FromMinutes(5)));
        Assert.False(VacancyHookRules.Verify("v1=abc", Secret, body, At, TimeSpan.FromMinutes(5)));
        Assert.False(VacancyHookRules.Verify(null, Secret, body, At, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("https://esms.example.org/hooks/listes360", true)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("http://localhost/hook", true)]
    [InlineData("http://esms.example.org/hook", false)]
    [InlineData("https://user:pass@esms.example.org/hook", false)]
    [InlineData("ftp://esms.example.org/hook", false)]
    [InlineData("/hook", false)]
    [InlineData("", false)]
    public void A_hook_url_is_https_or_http_to_this_machine_without_credentials(string url, bool valid)
    {
        if (valid)
            Assert.StartsWith(url.Split(':')[0], VacancyHookRules.ValidUrl(url));
        else
            Assert.Equal("INVALID_HOOK_URL", Assert.Throws<DomainException>(() => VacancyHookRules.ValidUrl(url)).Code);
    }

    [Fact]
    public void A_given_secret_has_32_to_200_printable_characters_and_a_drawn_one_43()
    {
        Assert.Equal("INVALID_HOOK_SECRET", Assert.Throws<DomainException>(() => VacancyHookRules.ValidSecret("trop-court")).Code);
        Assert.Equal("INVALID_HOOK_SECRET", Assert.Throws<DomainException>(() => VacancyHookRules.ValidSecret(new string('a', 31) + " b")).Code);
        Assert.Equal(Secret, VacancyHookRules.ValidSecret(Secret));
        Assert.Equal(43, VacancyHookRules.SecretFrom(new byte[32]).Length);
    }

    [Fact]
    public void Retries_back_off_exponentially_from_2_seconds_up_to_15_minutes()
    {
        Assert.Equal(At.AddSeconds(2), VacancyHookRules.NextAttempt(1, At));
        Assert.Equal(At.AddSeconds(4), VacancyHookRules.NextAttempt(2, At));
        Assert.Equal(At.AddSeconds(16), VacancyHookRules.NextAttempt(4, At));
        Assert.Equal(At.AddMinutes(15), VacancyHookRules.NextAttempt(30, At));
    }
}
