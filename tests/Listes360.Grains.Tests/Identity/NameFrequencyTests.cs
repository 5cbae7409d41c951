using Listes360.Domain.Identity;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Security;
using MatchRecord = Listes360.Domain.Identity.Records.PersonRecord;

namespace Listes360.Grains.Tests.Identity;

/// <summary>
/// The identity grain weighs names by the département's own frequencies (issue 16): it counts the
/// names of the persons it creates, and a birth year one digit apart is merged for a rare name but
/// sent to review for a common one.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class NameFrequencyTests(MemoryClusterFixture cluster)
{
    private const string Department = "23";
    private static int _next;

    private static MatchRecord Record(string last, string first, string birth) => new()
    {
        RecordId = $"freq-{Interlocked.Increment(ref _next)}",
        LastName = last,
        FirstName = first,
        BirthDate = birth,
        Postcode = "23000",
    };

    [Fact]
    public async Task A_year_variant_joins_a_rare_name_and_goes_to_review_for_a_common_one()
    {
        using var acting = CallerContext.As(new Caller("référente MDPH", Role.MdphReferent, [], Department, null));
        var identity = cluster.Grains.GetGrain<IIdentityGrain>(Department);
        // The département's persons: 40 « Martin Thomas » (born on other days), 60 other names, one « Vandenbroucke Ysaline ».
        var population = Enumerable.Range(0, 40).Select(i => Record("Martin", "Thomas", $"19{50 + i}0101"))
            .Concat(Enumerable.Range(0, 60).Select(i => Record($"Nom{(char)('a' + i % 26)}{(char)('a' + i / 26)}", $"Prenom{(char)('a' + i % 26)}", $"19{40 + i % 50}0202")))
            .Select(r => new IdentityRequest(r, true, "saisie")).ToList();
        await identity.ResolveAsync(population);
        var rare = (await identity.ResolveAsync([new IdentityRequest(Record("Vandenbroucke", "Ysaline", "19900312"), true, "saisie")]))[0];
        var common = (await identity.ResolveAsync([new IdentityRequest(Record("Martin", "Thomas", "19900312"), true, "saisie")]))[0];
        Assert.Equal(IdentityOutcome.NewPerson, rare.Outcome);

        // The preview (internal: an import's) decides without writing, as the service itself.
        using var service = CallerContext.As(Caller.ServiceItself);
        var rareVariant = (await identity.PreviewAsync([new IdentityRequest(Record("VANDENBROUCKE", "Ysaline", "19970312"), true, "liste.csv, ligne 2")]))[0];
        Assert.Equal(IdentityOutcome.SamePerson, rareVariant.Outcome);
        Assert.Equal(rare.PersonId, rareVariant.PersonId);
        Assert.Contains(rareVariant.Matches[0].Result.Reasons, r => r.Text == "nom peu fréquent dans le département");

        var commonVariant = (await identity.PreviewAsync([new IdentityRequest(Record("MARTIN", "Thomas", "19970312"), true, "liste.csv, ligne 3")]))[0];
        Assert.Equal(IdentityOutcome.Review, commonVariant.Outcome);
        Assert.Contains(commonVariant.Matches, m => m.PersonId == common.PersonId);
    }
}
