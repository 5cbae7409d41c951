using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Validation;
using Listes360.Grains.Registry;

namespace Listes360.Grains.Persons;

public sealed partial class PersonGrain
{
    public async Task<ListRowApplied> ApplyListRowAsync(ListRowChange row)
    {
        var created = state.State.Record is null;
        var record = created
            ? new PersonRecord { Id = Id, Identity = row.NewIdentity, Situation = row.Situation }
            : Record;
        var changed = created;
        if (row.Orientation is { } orientation)
        {
            var orientations = record.Orientations.IsDefault ? [] : record.Orientations;
            if (orientations.FirstOrDefault(o => o.DecisionReference == orientation.DecisionReference) is { } known)
            {
                if (known.Kind != orientation.Kind || known.ValidFrom != orientation.ValidFrom || known.ValidTo != orientation.ValidTo)
                    throw new DomainException("DUPLICATE_ORIENTATION",
                        $"La décision {orientation.DecisionReference} est déjà enregistrée pour cette personne avec d'autres termes (type, dates).", "decisionReference");
            }
            else
            {
                FieldRules.RequireRoom(orientations.Length, FieldLimits.OrientationsMaxCount, "decisionReference", "les décisions d'orientation de cette personne");
                record = record with { Orientations = orientations.Add(orientation) };
                changed = true;
            }
        }
        if (!created && row.Situation is { } situation && record.Situation?.Kind != situation.Kind)
        {
            record = record with { Situation = situation };
            changed = true;
        }

        Candidature? candidature = null;
        if (!state.State.Candidatures.Values.Any(c => c.Finess == row.Finess && c.Modality == row.Modality))
        {
            FieldRules.RequireRoom(state.State.Candidatures.Count, FieldLimits.CandidaturesMaxCount, "finess", "les candidatures de cette personne");
            var profile = await GrainFactory.GetGrain<IEsmsGrain>(row.Finess.Value).GetProfileAsync()
                ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {row.Finess}.", "finess");
            if (row.RequestDate > Today)
                throw new DomainException("INVALID_REQUEST_DATE", $"La date de la demande ({row.RequestDate:dd/MM/yyyy}) ne peut pas être postérieure à aujourd'hui.", "requestDate");
            var refusals = Eligibility.Check(record, profile, row.Modality, Today);
            if (!refusals.IsEmpty)
                throw new DomainException(refusals[0].Code, string.Join(" ", refusals.Select(r => r.Message)), refusals[0].Field);
            candidature = Candidature.For(CandidatureId.New(), Id, profile, row.Modality, row.RequestDate, clock.GetUtcNow(), row.By);
            changed = true;
        }
        if (!changed)
            return new ListRowApplied(false, false, false);

        state.State.Record = record;
        if (created)
        {
            state.State.Territory = TerritoryOf(record.Identity.ResidenceCommune);
            state.State.Simulated = row.Simulated;
        }
        await CommitAsync(candidature is null ? [] : [candidature]);
        return new ListRowApplied(created, candidature is not null, true);
    }
}
