using FsCheck.Xunit;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Persons;
using static Listes360.Domain.Tests.Grid.GridTestData;

namespace Listes360.Domain.Tests.Grid;

/// <summary>Rankings over generated candidates (FsCheck): total order, determinism, eligibility, sums.</summary>
public class RankingPropertyTests
{
    private static readonly SituationKind[] Situations = Enum.GetValues<SituationKind>();
    private static readonly CandidatureStatus[] Statuses = Enum.GetValues<CandidatureStatus>();
    private static readonly string?[] Communes = ["61001", "61006", "61214", "61483", "14118", null];
    private static readonly CriteriaGrid Grid = Orne();

    /// <summary>A candidate from generated numbers: any situation, status, age, request date, carer, orientation or none.</summary>
    private static CandidateFacts Generated(int i, (int Seed, byte Situation, byte Status, ushort AgeDays, ushort RequestDays) g)
    {
        var facts = Candidate($"C-G{i:D3}-{g.Seed & 0xF}",
            requestDate: Today.AddDays(-(g.RequestDays % 2000)),
            situation: new Situation { Kind = Situations[g.Situation % Situations.Length], Since = Today.AddDays(-(g.AgeDays % 900)) },
            birthDate: Today.AddDays(-(5000 + g.AgeDays)),
            commune: Communes[g.Situation % Communes.Length],
            status: Statuses[g.Status % Statuses.Length],
            carers: g.Seed % 3 == 0 ? [] : [Carer.FromDeclaredAge(CarerRelationship.Parent, 40 + (g.Seed & 0x3F), Today, (CarerStatus)(1 + (g.Seed >> 6 & 3)))]);
        return (g.Seed & 0x100) != 0 ? facts with { Orientations = [] } : facts;
    }

    private static List<CandidateFacts> Candidates((int, byte, byte, ushort, ushort)[] gen) =>
        gen.Take(60).Select((g, i) => Generated(i, g)).ToList();

    [Property]
    public bool The_ranking_is_a_total_order_score_then_request_date_then_id((int, byte, byte, ushort, ushort)[] gen)
    {
        var entries = Ranking.Rank(Grid, Fam, Fam.Modalities[0], Candidates(gen), Today).Entries;
        for (var i = 1; i < entries.Length; i++)
        {
            var (a, b) = (entries[i - 1], entries[i]);
            var ordered = a.Score.Total > b.Score.Total
                || (a.Score.Total == b.Score.Total && (a.RequestDate < b.RequestDate
                    || (a.RequestDate == b.RequestDate && string.CompareOrdinal(a.CandidatureId.Value, b.CandidatureId.Value) < 0)));
            if (!ordered || b.Position != i + 1) return false;
        }
        return entries.Select(e => e.CandidatureId).Distinct().Count() == entries.Length;
    }

    [Property]
    public bool The_ranking_is_deterministic_whatever_the_input_order((int, byte, byte, ushort, ushort)[] gen, int shuffleSeed)
    {
        var candidates = Candidates(gen);
        var shuffled = candidates.OrderBy(_ => new Random(shuffleSeed).Next()).ToList();
        new Random(shuffleSeed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
        var a = Ranking.Rank(Grid, Fam, Fam.Modalities[0], candidates, Today).Entries;
        var b = Ranking.Rank(Grid, Fam, Fam.Modalities[0], shuffled, Today).Entries;
        return a.Select(e => (e.CandidatureId, e.Score.Total)).SequenceEqual(b.Select(e => (e.CandidatureId, e.Score.Total)));
    }

    [Property]
    public bool The_ranking_never_contains_an_ineligible_candidate((int, byte, byte, ushort, ushort)[] gen)
    {
        var candidates = Candidates(gen).ToDictionary(c => c.CandidatureId);
        var ranking = Ranking.Rank(Grid, Fam, Fam.Modalities[0], candidates.Values, Today);
        return ranking.Entries.All(e =>
            Eligibility.Check(candidates[e.CandidatureId].BirthDate, candidates[e.CandidatureId].Orientations, Fam, Fam.Modalities[0], Today).IsEmpty
            && Grid.Eligibility.RankedStatuses.Contains(candidates[e.CandidatureId].Status))
            && ranking.Entries.Length + ranking.Excluded.Length == candidates.Values.Count(c => c.Status.IsOpen());
    }

    [Property]
    public bool Each_score_is_the_sum_of_its_breakdown((int, byte, byte, ushort, ushort)[] gen)
    {
        var ranking = Ranking.Rank(Grid, Fam, Fam.Modalities[0], Candidates(gen), Today);
        return ranking.Entries.All(e => e.Score.Total == e.Score.Lines.Sum(l => l.Points)
            && e.Score.Lines.Length == Grid.Criteria.Length && e.Score.GridVersion == Grid.Version);
    }

    /// <summary>ESMS near and far from the generated communes, and one without a known place.</summary>
    private static readonly Listes360.Domain.Registry.EsmsProfile[] Places =
    [
        Fam,
        Fam with { Latitude = 48.43, Longitude = 0.09 },
        Fam with { Latitude = 48.75, Longitude = -0.57 },
        Fam with { Latitude = 49.18, Longitude = -0.37 },
        Fam with { Latitude = null, Longitude = null, Commune = null },
    ];

    [Property]
    public bool The_total_for_a_candidate_equals_the_scores_total_for_every_esms((int, byte, byte, ushort, ushort)[] gen, ushort dayOffset)
    {
        var date = Today.AddDays(dayOffset % 400 - 200);
        return Candidates(gen).All(c =>
        {
            var total = Ranking.TotalFor(Grid, c, date);
            return Places.All(p => total(p) == Ranking.Score(Grid, c, p, date).Total);
        });
    }
}
