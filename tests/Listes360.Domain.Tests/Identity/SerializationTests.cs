using Listes360.Domain.Identity;
using Listes360.Domain.Identity.Records;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static Listes360.Domain.Tests.Identity.Persons;

namespace Listes360.Domain.Tests.Identity;

/// <summary>The identity types cross grain boundaries: they must round-trip through the Orleans serializer.</summary>
public class SerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void Person_record_round_trips()
    {
        var record = Record("DUPONT épouse MARTIN", "Anne-Marie", "19650912", mdph: "61-2010-42", nirHash: "ab", birthName: "Dupont") with { Commune = "Alençon", Address = "1 rue" };
        Assert.Equal(record, RoundTrip(record));
    }

    [Fact]
    public void Decision_with_reasons_round_trips()
    {
        var decision = IdentityResolver.Decide(Record("Martin", "Sophie", "19650912"), [("p1", Record("MARTIN", "Sophie", "19651209"))]);
        var copy = RoundTrip(decision);
        Assert.Equal(decision.Outcome, copy.Outcome);
        Assert.Equal(decision.PersonId, copy.PersonId);
        Assert.Equal(decision.Matches[0].Result.Reasons, copy.Matches[0].Result.Reasons);
        Assert.Equal(MatchThresholds.Calibrated, RoundTrip(MatchThresholds.Calibrated));
    }
}
