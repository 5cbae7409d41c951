using System.Collections.Immutable;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Candidatures;

/// <summary>One reason a person is not eligible for an ESMS (French message for the user).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Candidatures.EligibilityRefusal")]
public sealed record EligibilityRefusal(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message,
    [property: Id(2)] string Field);

/// <summary>
/// Eligibility filters before any ranking (DESIGN.md, "one grid for all commissions"): a valid CDAPH
/// orientation the ESMS accepts, an age within the ESMS' range, a modality the ESMS offers.
/// </summary>
public static class Eligibility
{
    public const string OrientationMismatch = "ORIENTATION_MISMATCH";
    public const string AgeOutOfRange = "AGE_OUT_OF_RANGE";
    public const string ModalityNotOffered = "MODALITY_NOT_OFFERED";
    public const string KindNotInScope = "KIND_NOT_IN_SCOPE";

    /// <summary>
    /// Every refusal (empty: eligible). Checks all rules and returns all failures, so the user sees
    /// everything at once: <c>KIND_NOT_IN_SCOPE</c> (CAMSP, CMPP, BAPU: no waiting list here),
    /// <c>ORIENTATION_MISMATCH</c>, <c>AGE_OUT_OF_RANGE</c>, <c>MODALITY_NOT_OFFERED</c>.
    /// </summary>
    public static ImmutableArray<EligibilityRefusal> Check(PersonRecord person, EsmsProfile esms, Modality modality, DateOnly date) =>
        Check(person.Identity.BirthDate, person.Orientations, esms, modality, date);

    /// <summary>
    /// The same rules, refused as one error: the first refusal's code and field, every refusal's
    /// message (so the user sees everything at once). Nothing when the person is eligible.
    /// </summary>
    public static void Require(PersonRecord person, EsmsProfile esms, Modality modality, DateOnly date)
    {
        var refusals = Check(person, esms, modality, date);
        if (!refusals.IsEmpty)
            throw new DomainException(refusals[0].Code, Explain(refusals), refusals[0].Field);
    }

    /// <summary>Every refusal's message, in order, as one text.</summary>
    public static string Explain(IEnumerable<EligibilityRefusal> refusals) => string.Join(" ", refusals.Select(r => r.Message));

    /// <summary>
    /// The same rules from the facts they read (birth date and orientations), for callers that hold
    /// those facts without the identity (the rankings keep no names).
    /// </summary>
    public static ImmutableArray<EligibilityRefusal> Check(DateOnly birthDate, ImmutableArray<Orientation> orientations, EsmsProfile esms,
        Modality modality, DateOnly date)
    {
        var refusals = ImmutableArray.CreateBuilder<EligibilityRefusal>();
        var kind = esms.Kind.Info();
        if (!kind.InWaitingListScope)
            refusals.Add(new(KindNotInScope,
                $"{kind.Label} : cet accompagnement est accessible sans orientation de la CDAPH et n'est pas géré par la liste d'attente départementale.", "finess"));

        var valid = (orientations.IsDefault ? [] : orientations).Where(o => o.IsValidOn(date)).ToArray();
        var accepted = valid.Where(o => esms.Kind.Accepts(o.Kind)).ToArray();
        if (kind.InWaitingListScope && accepted.Length == 0)
        {
            var expected = string.Join(" ou ", kind.AcceptedOrientations.Select(k => k.Info().Code));
            var have = valid.Length == 0
                ? $"la personne n'a aucune orientation en cours de validité au {date:dd/MM/yyyy}"
                : $"ses orientations en cours de validité au {date:dd/MM/yyyy} sont : {string.Join(", ", valid.Select(o => o.Kind.Info().Code).Distinct())}";
            refusals.Add(new(OrientationMismatch,
                $"L'ESMS {esms.Name} ({esms.Finess}) relève du type « {kind.Label} » et demande une orientation {expected} ; {have}.", "orientation"));
        }
        else if (kind.InWaitingListScope && !accepted.Any(o => o.Allows(modality)))
        {
            refusals.Add(new(OrientationMismatch,
                $"L'orientation de la personne vers « {kind.Label} » ne porte pas sur la modalité « {modality.Label()} » (modalités notifiées : {string.Join(", ", accepted.SelectMany(o => o.Modalities).Distinct().Select(m => m.Label()))}).", "modality"));
        }

        var age = date < birthDate ? -1 : Age.InYears(birthDate, date);
        if (!esms.AgeRange.Contains(age))
            refusals.Add(new(AgeOutOfRange,
                age < 0 ? $"La personne n'est pas née au {date:dd/MM/yyyy}." : $"La personne a {age} ans au {date:dd/MM/yyyy} ; l'ESMS {esms.Name} accueille {esms.AgeRange.Label}.", "birthDate"));

        if (!esms.Modalities.Contains(modality))
            refusals.Add(new(ModalityNotOffered,
                $"L'ESMS {esms.Name} ne propose pas la modalité « {modality.Label()} » (modalités proposées : {string.Join(", ", esms.Modalities.Select(m => m.Label()))}).", "modality"));

        return refusals.ToImmutable();
    }

    public static bool IsEligible(PersonRecord person, EsmsProfile esms, Modality modality, DateOnly date) =>
        Check(person, esms, modality, date).IsEmpty;
}
