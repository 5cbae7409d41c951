using System.Security.Cryptography;
using System.Text;
using Listes360.Domain.Persons;
using Listes360.Domain.Risk;

namespace Listes360.Domain.Tests.Risk;

public sealed class ObservatoryPseudonymsTests
{
    private static readonly PersonId Person = PersonId.Parse("61-p1");
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(2026, 1, 1, "2026-T1")]
    [InlineData(2026, 3, 31, "2026-T1")]
    [InlineData(2026, 4, 1, "2026-T2")]
    [InlineData(2026, 11, 30, "2026-T4")]
    public void The_period_is_the_calendar_quarter(int year, int month, int day, string code) =>
        Assert.Equal(code, PseudonymPeriod.Of(new DateOnly(year, month, day)).Code);

    [Fact]
    public void A_pseudonym_is_stable_within_a_quarter_and_changes_with_the_next()
    {
        var keys = new ObservatoryPseudonyms(Secret);
        var october = keys.Of(Person, PseudonymPeriod.Of(new DateOnly(2026, 10, 1)));
        Assert.Matches("^P-[0-9a-f]{16}$", october);
        Assert.Equal(october, keys.Of(Person, PseudonymPeriod.Of(new DateOnly(2026, 12, 31))));
        Assert.NotEqual(october, keys.Of(Person, PseudonymPeriod.Of(new DateOnly(2027, 1, 1))));
        Assert.NotEqual(october, keys.Of(PersonId.Parse("61-p2"), PseudonymPeriod.Of(new DateOnly(2026, 10, 1))));
    }

    [Fact]
    public void Without_the_secret_the_pseudonym_cannot_be_computed_from_the_id()
    {
        var period = PseudonymPeriod.Of(new DateOnly(2026, 11, 30));
        var pseudonym = new ObservatoryPseudonyms(Secret).Of(Person, period);
        // Another département's key, and the unkeyed hash of the former rule, give other values.
        Assert.NotEqual(pseudonym, new ObservatoryPseudonyms(RandomNumberGenerator.GetBytes(32)).Of(Person, period));
        var unkeyed = "P-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("listes360/observatoire/" + Person.Value)))[..16];
        Assert.NotEqual(unkeyed, pseudonym);
        var unkeyedWithPeriod = "P-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{period.Code}/{Person.Value}")))[..16];
        Assert.NotEqual(unkeyedWithPeriod, pseudonym);
    }

    [Fact]
    public void The_key_derived_from_the_nir_secret_is_not_the_nir_secret()
    {
        var period = PseudonymPeriod.Of(new DateOnly(2026, 11, 30));
        Assert.Equal(ObservatoryPseudonyms.DerivedFrom(Secret).Of(Person, period), ObservatoryPseudonyms.DerivedFrom(Secret).Of(Person, period));
        Assert.NotEqual(new ObservatoryPseudonyms(Secret).Of(Person, period), ObservatoryPseudonyms.DerivedFrom(Secret).Of(Person, period));
    }

    [Fact]
    public void A_short_secret_is_refused() =>
        Assert.Equal("PSEUDONYM_SECRET_TOO_SHORT", Assert.Throws<DomainException>(() => new ObservatoryPseudonyms(new byte[8])).Code);

    [Fact]
    public void No_factor_text_states_an_exact_age()
    {
        foreach (var age in new[] { 3, 16, 17, 19, 20, 49, 61, 95 })
        {
            var snapshot = new RiskSnapshot { AgeYears = age, CarerAge = age + 27, TransitionAge = age is >= 16 and < 20, Creton = age >= 20 };
            foreach (var feature in RiskFeatures.All)
                Assert.DoesNotMatch(ExactAge, feature.Describe(snapshot));
        }
    }

    /// <summary>A number of years that is not the end of a band (« 40-59 ans » is a band, « 49 ans » an age).</summary>
    public const string ExactAge = @"(?<![-\d])\d{1,3}\s*ans\b";
}
