using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Sequential;

namespace Listes360.Domain.Security;

/// <summary>
/// What a director of ESMS sees of a person who applied to one of their ESMS: that ESMS's own
/// candidatures, and the bare fact that the person found a solution elsewhere, never where.
/// </summary>
public static class EsmsView
{
    /// <summary>Actor written, in a director's view, on a change caused by an admission at another ESMS.</summary>
    public const string OtherEsmsActor = "admission dans un autre ESMS";

    /// <summary>The person applied to one of the director's ESMS (the only way a director reaches a person).</summary>
    public static bool HasApplied(Caller director, IEnumerable<Candidature> candidatures) =>
        candidatures.Any(c => AccessPolicy.CarriesEsms(director, c.Finess.Value));

    /// <summary>
    /// The candidatures to the director's own ESMS; a change caused by an admission elsewhere keeps
    /// its status and reason but loses its cause and its author (both would say where).
    /// </summary>
    public static IReadOnlyList<Candidature> OwnCandidatures(Caller director, IEnumerable<Candidature> candidatures) =>
        candidatures.Where(c => AccessPolicy.CarriesEsms(director, c.Finess.Value))
            .Select(c => c with
            {
                History = c.History.IsDefault ? c.History : c.History
                    .Select(h => h.Cause is null ? h : h with { Cause = null, By = OtherEsmsActor }).ToImmutableArray(),
            })
            .ToList();

    /// <summary>The person was admitted at an ESMS that is not one of the director's.</summary>
    public static bool SolutionFoundElsewhere(Caller director, IEnumerable<Candidature> candidatures) =>
        candidatures.Any(c => c.Status == CandidatureStatus.Admitted && !AccessPolicy.CarriesEsms(director, c.Finess.Value));

    /// <summary>
    /// Every combination with the ESMS's reference of its person; <paramref name="withoutIds"/> (a
    /// director) also removes the person id, so that only the reference leaves the grain.
    /// </summary>
    public static SequentialSearchResult WithReferences(SequentialSearchResult result, Func<PersonId, string> reference, bool withoutIds) =>
        result with
        {
            Combinations = result.Combinations
                .Select(c => c with { Reference = reference(c.Person), Person = withoutIds ? default : c.Person }).ToImmutableArray(),
        };

    /// <summary>The situation without what would say where the person is hosted (another ESMS, the free note).</summary>
    public static Situation? Situation(Caller director, Situation? situation) =>
        situation is null ? null : situation with
        {
            Esms = situation.Esms is { } esms && AccessPolicy.CarriesEsms(director, esms.Value) ? esms : null,
            Note = null,
        };
}

/// <summary>
/// Per-ESMS pseudonymous references: what a director receives instead of the id of a person who did
/// not apply to their ESMS. A keyed hash (HMAC-SHA256 with the service's secret) of the FINESS and the
/// person id: the same person has a different reference for each ESMS, and nobody without the secret
/// can link a reference to an id, or two ESMS's references together.
/// </summary>
public sealed class EsmsReferences
{
    private readonly byte[] _key;

    public EsmsReferences(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
            throw new ArgumentException($"Le secret des références d'ESMS doit compter au moins 32 octets (il en a {key.Length}).", nameof(key));
        _key = key;
    }

    /// <summary>HKDF label that turns the NIR secret into the references' own key (one secret, unrelated keys).</summary>
    public const string DerivationLabel = "listes360/directeurs/references/v1";

    public const string SecretSetting = "Access:ReferenceSecret";

    /// <summary>
    /// The references' key: their own secret when configured, else derived from the département's NIR
    /// secret (<see cref="DepartmentSecrets"/>), so that every silo and every restart gives a person the
    /// same reference at an ESMS; a random key only when neither exists (a test host: references then
    /// last one start).
    /// </summary>
    public static EsmsReferences FromSecrets(string? ownBase64, string? nirSecretBase64) =>
        new(DepartmentSecrets.KeyFor(ownBase64, SecretSetting, nirSecretBase64, DerivationLabel) ?? RandomNumberGenerator.GetBytes(32));

    /// <summary><c>ref-</c> and 20 hexadecimal characters (80 bits): short enough to read out on the phone.</summary>
    public string Of(FinessNumber finess, PersonId person) =>
        "ref-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{finess.Value}|{person.Value}")))[..20];
}
