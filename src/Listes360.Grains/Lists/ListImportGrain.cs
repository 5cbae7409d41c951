using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Identity;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Lists;

public sealed class ListImportGrain(TimeProvider clock) : Grain, IListImportGrain
{
    /// <summary>Persons written at once: enough to keep storage busy, few enough to leave room for users.</summary>
    private const int Parallelism = 16;

    public async Task<IReadOnlyList<ListRowResult>> ImportAsync(IReadOnlyList<ListImportRow> rows, string source, string by)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var finess = FinessNumber.Parse(this.GetPrimaryKeyString());
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var results = new ListRowResult?[rows.Count];

        // A director must not learn from the answer whether a person was known: no outcome, no id.
        var blind = CallerContext.Current?.Role is Role.EsmsDirector;
        // The caller was checked for this ESMS; the rows are applied by the service on their behalf.
        using var acting = CallerContext.As(new Caller($"{by} (import de liste, ESMS {finess})", Role.System, [], finess.Department, null));
        var profile = await GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {finess} : enregistrez-le (import-esms) avant d'importer sa liste.", "finess");

        // What can be refused from the row alone is refused before anything is created.
        var accepted = new List<int>();
        var orientations = new Orientation?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            try
            {
                orientations[i] = row.Orientation is { } o
                    ? Orientation.Create(o.DecisionReference, o.Kind ?? profile.Kind, o.ValidFrom ?? row.RequestDate, o.ValidTo, today: today)
                    : null;
            }
            catch (DomainException e)
            {
                results[i] = Rejected(row, e.Code, e.Message);
                continue;
            }
            var probe = new PersonRecord
            {
                Id = PersonId.Parse($"{finess.Department}-import"),
                Identity = row.Identity,
                Orientations = orientations[i] is { } given ? [given] : [],
            };
            var refusals = Eligibility.Check(probe, profile, row.Modality, today)
                .Where(r => row.Orientation is not null || r.Code != Eligibility.OrientationMismatch).ToList();
            if (row.RequestDate > today)
                results[i] = Rejected(row, "INVALID_REQUEST_DATE", $"date de la demande ({row.RequestDate:dd/MM/yyyy}) postérieure à aujourd'hui");
            else if (blind && row.Orientation is null)
                // Joining a known person's orientation in force would tell a director that the person exists.
                results[i] = Rejected(row, "CDAPH_DECISION_REQUIRED",
                    "ligne sans décision d'orientation CDAPH (colonne « n° décision CDAPH ») : une direction d'ESMS inscrit chaque personne avec sa décision, qu'elle soit déjà connue du département ou non");
            else if (refusals.Count > 0)
                results[i] = Rejected(row, refusals[0].Code, string.Join(" ", refusals.Select(r => r.Message)));
            else
                accepted.Add(i);
        }

        var resolutions = accepted.Count == 0 ? [] : await GrainFactory.GetGrain<IIdentityGrain>(finess.Department).ResolveAsync(
            accepted.Select(i => new IdentityRequest(rows[i].Match, rows[i].Orientation is not null, $"{source}, ligne {rows[i].Line}")).ToList());

        var work = new List<(int Index, string Person, IdentityOutcome Outcome)>();
        for (var k = 0; k < accepted.Count; k++)
        {
            var i = accepted[k];
            if (resolutions[k].PersonId is { } person)
                work.Add((i, person, resolutions[k].Outcome));
            else
                results[i] = Rejected(rows[i], Eligibility.OrientationMismatch,
                    "personne inconnue du département et ligne sans décision d'orientation CDAPH (colonne « n° décision CDAPH ») : impossible de l'inscrire");
        }

        // Rows of one person in file order; persons a few at a time (on the grain's scheduler, not the thread pool).
        foreach (var wave in work.GroupBy(w => w.Person).Chunk(Parallelism))
        {
            await Task.WhenAll(wave.Select(async group =>
            {
                foreach (var (i, person, outcome) in group)
                {
                    var row = rows[i];
                    try
                    {
                        var applied = await GrainFactory.GetGrain<IPersonGrain>(person).ApplyListRowAsync(new ListRowChange(
                            row.Identity, row.Simulated, row.Situation, orientations[i], finess, row.Modality, row.RequestDate, by));
                        var kind = outcome switch
                        {
                            _ when blind => ListRowOutcome.Accepted,
                            IdentityOutcome.Review => ListRowOutcome.QueuedForReview,
                            _ => applied.PersonCreated ? ListRowOutcome.Created : ListRowOutcome.Matched,
                        };
                        results[i] = new ListRowResult(row.Line, kind, blind ? null : person, applied.CandidatureCreated, applied.Changed);
                    }
                    catch (DomainException e)
                    {
                        results[i] = Rejected(row, e.Code, e.Message);
                    }
                }
            }));
        }
        return results.Select(r => r!).ToList();
    }

    private static ListRowResult Rejected(ListImportRow row, string code, string message) =>
        new(row.Line, ListRowOutcome.Rejected, null, false, false, code, message);
}
