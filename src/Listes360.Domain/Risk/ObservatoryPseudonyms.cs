using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Listes360.Domain.Persons;
using Listes360.Domain.Security;

namespace Listes360.Domain.Risk;

/// <summary>
/// The observatory's period of pseudonyms: a calendar quarter (« 2026-T4 »). Within a quarter a
/// person keeps the same pseudonym in every answer and export, so the quarter's figures can be
/// followed; from one quarter to the next the pseudonyms change, so two quarters' exports cannot
/// be joined on them.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Risk.PseudonymPeriod")]
public readonly record struct PseudonymPeriod([property: Id(0)] int Year, [property: Id(1)] int Quarter)
{
    public static PseudonymPeriod Of(DateOnly day) => new(day.Year, (day.Month - 1) / 3 + 1);

    public string Code => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-T{Quarter}");

    public override string ToString() => Code;
}

/// <summary>
/// The observatory's keyed pseudonyms: « P- » and 16 hex digits of HMAC-SHA256, under the
/// département's secret, of the period and the person id. Without the secret nobody can compute a
/// person's pseudonym from their id (an unkeyed hash would let anyone holding ids link every row),
/// and the period in the message rotates every pseudonym each quarter.
/// </summary>
public sealed class ObservatoryPseudonyms
{
    /// <summary>HKDF label that turns the NIR secret into a distinct key for the observatory (one secret, two unrelated keys).</summary>
    public const string DerivationLabel = "listes360/observatoire/pseudonymes/v1";

    public const int MinimumSecretBytes = 32;

    private readonly byte[] key;

    /// <param name="secret">The département's pseudonym secret, at least <see cref="MinimumSecretBytes"/> random bytes.</param>
    public ObservatoryPseudonyms(byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < MinimumSecretBytes)
            throw new DomainException("PSEUDONYM_SECRET_TOO_SHORT",
                $"Le secret de pseudonymisation de l'observatoire doit compter au moins {MinimumSecretBytes} octets aléatoires (reçu : {secret.Length}).", "Observatory:PseudonymSecret");
        key = (byte[])secret.Clone();
    }

    /// <summary>The observatory's key derived from the département's NIR secret (HKDF-SHA256, label <see cref="DerivationLabel"/>).</summary>
    public static ObservatoryPseudonyms DerivedFrom(byte[] nirSecret) => new(DepartmentSecrets.Derive(nirSecret, DerivationLabel));

    public string Of(PersonId person, PseudonymPeriod period) =>
        "P-" + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{period.Code}/{person.Value}")))[..16];

    /// <summary>The refusal when no secret is configured: no list rather than a guessable pseudonym.</summary>
    public static DomainException Missing() => new("PSEUDONYM_SECRET_MISSING",
        "Liste pseudonymisée indisponible : aucun secret de pseudonymisation n'est configuré pour ce département "
        + "(Observatory:PseudonymSecret, ou Nir:Secret dont il est dérivé). Sans secret, les pseudonymes seraient calculables "
        + "à partir des identifiants : la liste n'est pas servie.");
}
