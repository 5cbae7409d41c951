using System.Globalization;
using FsCheck.Xunit;
using Listes360.Domain.Identity;
using static Listes360.Domain.Tests.Identity.Persons;

namespace Listes360.Domain.Tests.Identity;

public class IdentityPropertyTests
{
    private static readonly string[] Names = ["Martin", "Lefèvre", "Le Goff", "de La Fontaine", "N'Diaye", "DUPONT épouse MARTIN", "Jean-Pierre", "Anne Marie", "Éloïse", "Zoé", "Müller", "Ben Ali"];

    private static string Date(int days) => new DateOnly(1940, 1, 1).AddDays(Math.Abs(days % 30000)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [Property]
    public bool Fold_is_idempotent(string? text) => FrenchNames.Fold(FrenchNames.Fold(text)) == FrenchNames.Fold(text);

    [Property]
    public bool Score_is_symmetric(byte a1, byte a2, int d1, byte b1, byte b2, int d2, bool sameMdph)
    {
        var a = Prepared(Names[a1 % Names.Length], Names[a2 % Names.Length], Date(d1), mdph: sameMdph ? "61X" : "61A");
        var b = Prepared(Names[b1 % Names.Length], Names[b2 % Names.Length], Date(d2), mdph: sameMdph ? "61X" : "61B");
        return MatchScorer.Default.Score(a, b) == MatchScorer.Default.Score(b, a);
    }

    [Property]
    public bool A_copy_is_the_same_person_and_shares_a_block(byte last, byte first, int days, bool upper)
    {
        var lastName = Names[last % Names.Length];
        var firstName = Names[first % Names.Length];
        var a = Prepared(lastName, firstName, Date(days));
        var b = Prepared(upper ? lastName.ToUpperInvariant() : lastName, upper ? firstName.ToUpperInvariant() : firstName, Date(days));
        return MatchScorer.Default.Score(a, b).Zone == MatchZone.Same && Blocking.Keys(a).Intersect(Blocking.Keys(b)).Any();
    }

    [Property]
    public bool Day_month_swap_keeps_a_shared_block(byte last, byte first, int days)
    {
        var date = Date(days);
        if (int.Parse(date[6..8], CultureInfo.InvariantCulture) > 12) return true; // no swap possible
        var swapped = date[..4] + date[6..8] + date[4..6];
        var a = Prepared(Names[last % Names.Length], Names[first % Names.Length], date);
        var b = Prepared(Names[last % Names.Length], Names[first % Names.Length], swapped);
        return Blocking.Keys(a).Intersect(Blocking.Keys(b)).Any() && MatchScorer.Default.Score(a, b).Zone != MatchZone.Different;
    }
}
