using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;
using Listes360.Grains.Registry;

namespace Listes360.Grains.Persons;

public sealed partial class PersonGrain
{
    public async Task<ListRowApplied> ApplyListRowAsync(ListRowChange row)
    {
        var created = state.State.Record is null;
        var plan = await PlanListRowAsync(created ? null : Record, state.State.Candidatures.Values.Select(c => (c.Finess, c.Modality)).ToList(), row);
        if (!plan.Changed)
            return new ListRowApplied(false, false, false);

        var candidature = plan.Profile is { } profile
            ? Candidature.For(CandidatureId.New(), Id, profile, row.Modality, row.RequestDate, clock.GetUtcNow(), row.By)
            : null;
        state.State.Record = plan.Record;
        if (created)
        {
            state.State.Territory = TerritoryOf(plan.Record.Identity.ResidenceCommune);
            state.State.Simulated = row.Simulated;
        }
        await CommitAsync(candidature is null ? [] : [candidature]);
        return new ListRowApplied(created, candidature is not null, true);
    }

    public async Task<IReadOnlyList<ListRowRefusal?>> CheckListRowsAsync(IReadOnlyList<ListRowChange> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // The rows in file order on a copy of the state, as ApplyListRowAsync would take them one after the other.
        var record = state.State.Record is null ? null : Record;
        var candidatures = state.State.Candidatures.Values.Select(c => (c.Finess, c.Modality)).ToList();
        var refusals = new ListRowRefusal?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            try
            {
                var plan = await PlanListRowAsync(record, candidatures, rows[i]);
                record = plan.Record;
                if (plan.Profile is not null)
                    candidatures.Add((rows[i].Finess, rows[i].Modality));
            }
            catch (DomainException e)
            {
                refusals[i] = new ListRowRefusal(e.Code, e.Message);
            }
        }
        return refusals;
    }

    /// <summary>
    /// What a list row does to a person (<paramref name="current"/> null: not created yet) with these
    /// candidatures: the record after it, whether anything changes, and the ESMS profile when a
    /// candidature is to be created. Writes nothing; throws the row's refusal.
    /// </summary>
    private async Task<(PersonRecord Record, bool Changed, EsmsProfile? Profile)> PlanListRowAsync(
        PersonRecord? current, IReadOnlyCollection<(FinessNumber Finess, Modality Modality)> candidatures, ListRowChange row)
    {
        var created = current is null;
        var record = current ?? new PersonRecord { Id = Id, Identity = row.NewIdentity, Situation = row.Situation };
        var changed = created;
        if (row.Orientation is { } orientation)
        {
            (record, var added) = OrientationRecording.Add(record, orientation);
            changed |= added;
        }
        if (!created && row.Situation is { } situation && record.Situation?.Kind != situation.Kind)
        {
            record = record with { Situation = situation };
            changed = true;
        }

        if (candidatures.Any(c => c.Finess == row.Finess && c.Modality == row.Modality))
            return (record, changed, null);
        FieldRules.RequireRoom(candidatures.Count, FieldLimits.CandidaturesMaxCount, "finess", "les candidatures de cette personne");
        var profile = await GrainFactory.GetGrain<IEsmsGrain>(row.Finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {row.Finess}.", "finess");
        RequestDates.Require(row.RequestDate, Today);
        Eligibility.Require(record, profile, row.Modality, Today);
        return (record, true, profile);
    }
}
