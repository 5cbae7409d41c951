using System.Globalization;

namespace Listes360.Domain.Identity;

/// <summary>What to do with a pair of records.</summary>
public enum MatchZone
{
    /// <summary>Below the possible threshold: two persons.</summary>
    Different,
    /// <summary>Grey zone: put in the review queue of the MDPH referent.</summary>
    Possible,
    /// <summary>Above the same threshold (or an identical strong key): merged automatically.</summary>
    Same,
}

/// <summary>One piece of evidence: the feature, its contribution to the score, a French explanation.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.MatchReason")]
public sealed record MatchReason(
    [property: Id(0)] string Feature,
    [property: Id(1)] double Contribution,
    [property: Id(2)] string Text);

/// <summary>The score of a pair, its zone and, when asked, the reasons.</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.MatchResult")]
public sealed record MatchResult(
    [property: Id(0)] double Score,
    [property: Id(1)] MatchZone Zone,
    [property: Id(2)] IReadOnlyList<MatchReason> Reasons);

/// <summary>
/// Scores a pair of prepared records as a sum of log-likelihood-like contributions, one per feature
/// (in the spirit of Fellegi–Sunter): agreement adds, disagreement subtracts, missing values add
/// nothing. Names use Jaro-Winkler on the folded name variants (usage and birth names, with and
/// without particles, compound first names and the first given name), with the French phonetic key
/// as a floor; dates tolerate a day/month swap and one typo; strong keys follow
/// <see cref="StrongKeys"/>' policy. The zone comes from <see cref="MatchThresholds"/>, calibrated on
/// labelled pairs (bench/dedup, <c>calibrate</c>), not guessed.
/// </summary>
public sealed class MatchScorer
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    // Contribution of a name similarity, interpolated between knots (similarity, contribution).
    private static readonly (double S, double C)[] LastNameCurve = [(0.0, -4.0), (0.70, -3.5), (0.80, -1.5), (0.88, 0.5), (0.94, 2.5), (1.0, 4.0)];
    private static readonly (double S, double C)[] FirstNameCurve = [(0.0, -8.0), (0.60, -7.0), (0.75, -5.0), (0.85, -2.0), (0.90, 0.5), (0.94, 2.0), (1.0, 3.0)];
    private static readonly (double S, double C)[] AddressCurve = [(0.0, -1.5), (0.6, -1.5), (0.8, 0.0), (0.9, 1.5), (1.0, 2.5)];

    /// <summary>
    /// Version of the weights, curves and rules. Bump it with any change that moves scores, then re-run
    /// the calibration (bench/dedup, <c>calibrate</c>): a test fails while calibration.json was produced
    /// for another version.
    /// </summary>
    public const string Version = "2026-11-30.2";

    /// <summary>Contribution of an identical strong key (MDPH number, NIR hash).</summary>
    public const double StrongKeyAgreement = 10.0;

    /// <summary>Largest share of a name's agreement that its frequency may add (rare) or take away (common).</summary>
    public const double FrequencyBonusCap = 1.0, FrequencyMalusCap = 1.5;

    /// <summary>Scale of the frequency weight (natural log of the frequency ratio) added to a name's agreement.</summary>
    public const double FrequencyScale = 0.5;

    /// <summary>Below this many expected homonyms by chance (<see cref="NameFrequencies.ExpectedHomonyms"/>), a name pair is rare.</summary>
    public const double RareNamePair = 0.05;

    /// <summary>Contribution of two birth dates years apart enough to be two generations (parent and child).</summary>
    public const double GenerationsApart = -7.0;

    /// <summary>Years between two birth dates from which they are read as two generations.</summary>
    public const int GenerationGapYears = 12;

    public MatchScorer(MatchThresholds thresholds) : this(thresholds, null)
    {
    }

    /// <param name="thresholds">The zones' thresholds.</param>
    /// <param name="frequencies">Name frequencies of the département's persons (Fellegi–Sunter u-probabilities per value); none: no frequency weight.</param>
    public MatchScorer(MatchThresholds thresholds, NameFrequencies? frequencies)
    {
        Thresholds = thresholds;
        Frequencies = frequencies ?? NameFrequencies.None;
    }

    /// <summary>A scorer with the calibrated thresholds shipped with the domain (no name frequencies).</summary>
    public static MatchScorer Default { get; } = new(MatchThresholds.Calibrated);

    public MatchThresholds Thresholds { get; }

    /// <summary>The name frequencies the scorer weighs agreements with (<see cref="NameFrequencies.None"/>: none).</summary>
    public NameFrequencies Frequencies { get; }

    /// <summary>The same thresholds with these name frequencies.</summary>
    public MatchScorer WithFrequencies(NameFrequencies frequencies) => new(Thresholds, frequencies);

    /// <summary>Score and zone of a pair, with the reasons in French.</summary>
    public MatchResult Explain(PreparedRecord a, PreparedRecord b)
    {
        var reasons = new List<MatchReason>(8);
        var (score, zone) = Evaluate(a, b, reasons);
        return new MatchResult(score, zone, reasons);
    }

    /// <summary>Score and zone of a pair without building the explanation (the fast path for batches).</summary>
    public (double Score, MatchZone Zone) Score(PreparedRecord a, PreparedRecord b) => Evaluate(a, b, null);

    private (double Score, MatchZone Zone) Evaluate(PreparedRecord a, PreparedRecord b, List<MatchReason>? reasons)
    {
        var score = 0.0;

        // Strong keys.
        var strongAgreement = false;
        var strongConflict = false;
        var mdphConflict = false;
        if (a.Mdph is not null && b.Mdph is not null)
        {
            if (StrongKeys.SameMdph(a.Mdph, b.Mdph))
            {
                strongAgreement = true;
                score += Add(reasons, "mdph", StrongKeyAgreement, "même n° de dossier MDPH");
            }
            else
            {
                mdphConflict = true;
                score += Add(reasons, "mdph", -3.0, "n° de dossier MDPH différents");
            }
        }
        if (a.NirHash is not null && b.NirHash is not null)
        {
            if (a.NirHash == b.NirHash)
            {
                strongAgreement = true;
                score += Add(reasons, "nir", StrongKeyAgreement, "même NIR (empreinte)");
            }
            else
            {
                strongConflict = true;
                score += Add(reasons, "nir", -2.5, "NIR différents (empreinte)");
            }
        }

        // Names, also with first and last names swapped.
        var (lastSim, lastKind) = Best(a.LastNames, b.LastNames);
        var (firstSim, firstKind) = Best(a.FirstNames, b.FirstNames);
        var crossLast = Best(a.LastNames, b.FirstNames).Similarity;
        var crossFirst = Best(a.FirstNames, b.LastNames).Similarity;
        // Swapped when both crossed names agree (one exactly or nearly, the other allowing a typo) and
        // better than the direct comparison.
        var swapped = Math.Min(crossLast, crossFirst) >= 0.85 && Math.Max(crossLast, crossFirst) >= 0.95
            && crossLast + crossFirst > SafeSum(lastSim, firstSim) + 0.2;
        if (swapped)
        {
            score += Add(reasons, "noms-inverses", -0.5, "nom et prénom inversés");
            lastSim = crossLast;
            firstSim = crossFirst;
            lastKind = firstKind = "full";
        }

        if (lastSim >= 0)
        {
            // Swapped: which crossed similarity plays the last name depends on the order of the pair;
            // both assignments are averaged so that the score stays symmetric.
            var contribution = swapped
                ? (Interpolate(LastNameCurve, crossLast) + Interpolate(LastNameCurve, crossFirst)) / 2
                : Interpolate(LastNameCurve, lastSim);
            var phonetic = SharesAny(a.LastPhonetics, b.LastPhonetics) && !swapped;
            if (phonetic && contribution < 1.5) contribution = 1.5;
            var text = lastSim >= 1.0
                ? lastKind == "sans-particule" ? "même nom (hors particule)" : "même nom"
                : phonetic && lastSim < 0.9 ? $"nom phonétiquement identique ({Format(lastSim)})"
                : lastSim >= 0.88 ? $"nom proche ({Format(lastSim)})" : $"noms différents ({Format(lastSim)})";
            score += Add(reasons, "nom", contribution, text);
            if (!swapped && lastSim >= 0.94) score += FrequencyWeight(reasons, "nom-frequence", Frequencies.LastNameWeight(a, b), "nom");
        }
        else if (reasons is not null)
        {
            reasons.Add(new MatchReason("nom", 0, "nom absent d'un côté"));
        }

        if (firstSim >= 0)
        {
            var contribution = swapped
                ? (Interpolate(FirstNameCurve, crossLast) + Interpolate(FirstNameCurve, crossFirst)) / 2
                : Interpolate(FirstNameCurve, firstSim);
            var phonetic = a.FirstPhonetic.Length > 0 && a.FirstPhonetic == b.FirstPhonetic && !swapped;
            if (phonetic && contribution < 1.0) contribution = 1.0;
            var text = firstSim >= 0.999 ? "même prénom"
                : firstKind == "premier-prenom" && firstSim >= 0.9 ? "même premier prénom (prénom composé abrégé)"
                : phonetic && firstSim < 0.92 ? $"prénom phonétiquement identique ({Format(firstSim)})"
                : firstSim >= 0.85 ? $"prénom proche ({Format(firstSim)})" : $"prénoms différents ({Format(firstSim)})";
            score += Add(reasons, "prenom", contribution, text);
            if (!swapped && firstSim >= 0.94) score += FrequencyWeight(reasons, "prenom-frequence", Frequencies.FirstNameWeight(a, b), "prénom");
        }
        else if (reasons is not null)
        {
            reasons.Add(new MatchReason("prenom", 0, "prénom absent d'un côté"));
        }

        // Birth date.
        var date = BirthDates.Compare(a.BirthDate, b.BirthDate);
        switch (date)
        {
            case DateAgreement.Exact: score += Add(reasons, "naissance", 5.0, "même date de naissance"); break;
            case DateAgreement.DayMonthSwapped: score += Add(reasons, "naissance", 2.5, "date de naissance avec jour et mois inversés"); break;
            case DateAgreement.OneDigit: score += Add(reasons, "naissance", 2.5, "date de naissance à un chiffre près"); break;
            case DateAgreement.Transposed: score += Add(reasons, "naissance", 2.0, "date de naissance avec deux chiffres inversés"); break;
            case DateAgreement.SameYearMonth: score += Add(reasons, "naissance", -2.5, "même mois de naissance, autre jour"); break;
            case DateAgreement.Different when BirthDates.YearsApart(a.BirthDate, b.BirthDate) >= GenerationGapYears:
                score += Add(reasons, "naissance", GenerationsApart, $"naissances à {BirthDates.YearsApart(a.BirthDate, b.BirthDate)} ans d'écart (parent et enfant ?)");
                break;
            case DateAgreement.Different: score += Add(reasons, "naissance", -4.5, "dates de naissance différentes"); break;
            default: reasons?.Add(new MatchReason("naissance", 0, "date de naissance absente d'un côté")); break;
        }

        // Locality and address.
        var samePlace = false;
        if (a.Postcode is not null && b.Postcode is not null)
        {
            samePlace |= a.Postcode == b.Postcode;
            score += a.Postcode == b.Postcode
                ? Add(reasons, "code-postal", 1.0, "même code postal")
                : Add(reasons, "code-postal", -0.5, "codes postaux différents");
        }
        if (a.Commune is not null && b.Commune is not null)
        {
            var similarity = StringSimilarity.JaroWinkler(a.Commune, b.Commune);
            samePlace |= similarity >= 0.95;
            score += similarity >= 0.95
                ? Add(reasons, "commune", 0.7, "même commune")
                : Add(reasons, "commune", -0.2, "communes différentes");
        }
        if (a.AddressTokens.Length > 0 && b.AddressTokens.Length > 0)
        {
            var similarity = StringSimilarity.TokenJaroWinkler(a.AddressTokens, b.AddressTokens);
            samePlace |= similarity >= 0.9;
            score += Add(reasons, "adresse", Interpolate(AddressCurve, similarity),
                similarity >= 0.97 ? "même adresse" : similarity >= 0.85 ? $"adresse proche ({Format(similarity)})" : $"adresses différentes ({Format(similarity)})");
        }

        // Zone.
        score = Math.Round(score, 4);
        MatchZone zone;
        if (strongAgreement)
        {
            // Concordant: every name present on both sides agrees, and at least one is present.
            var namesConcordant = (lastSim >= 0 || firstSim >= 0) && (lastSim < 0 || lastSim >= 0.88) && (firstSim < 0 || firstSim >= 0.85);
            if (date == DateAgreement.Different && !namesConcordant)
            {
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "identifiant commun mais dates de naissance incompatibles et noms non concordants : à vérifier"));
            }
            else if (date == DateAgreement.Different)
            {
                zone = MatchZone.Same;
                reasons?.Add(new MatchReason("regle", 0, "identifiant commun, dates de naissance incompatibles mais noms concordants : même personne"));
            }
            else
            {
                zone = MatchZone.Same;
                reasons?.Add(new MatchReason("regle", 0, "identifiant fort identique : même personne"));
            }
        }
        else
        {
            zone = score >= Thresholds.Same ? MatchZone.Same : score >= Thresholds.Possible ? MatchZone.Possible : MatchZone.Different;
            if (zone == MatchZone.Same && mdphConflict)
            {
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "n° de dossier MDPH différents : fusion soumise à vérification"));
            }
            else if (zone == MatchZone.Same && strongConflict && score < Thresholds.Same + 2.5)
            {
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "NIR différents : fusion soumise à vérification"));
            }
            else if (zone == MatchZone.Same && date == DateAgreement.Missing && (a.BirthDate is null || b.BirthDate is null))
            {
                // No birth date on one side: names and place alone do not make one person (parents, children
                // and homonyms share them); only a strong key does.
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "date de naissance manquante et aucun identifiant commun : à vérifier"));
            }
            else if (zone == MatchZone.Same && BirthDates.YearOnlyDiffers(a.BirthDate, b.BirthDate)
                     && !SameBirthName(a, b) && !(samePlace && Frequencies.ExpectedHomonyms(a, b) < RareNamePair))
            {
                // Same day and month, a year one digit away: as often two homonyms (1990 / 1997) as a typo.
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "année de naissance différente sans autre concordance (identifiant, nom de naissance, nom rare au même lieu) : à vérifier"));
            }
            else if (zone == MatchZone.Same && !swapped && firstSim >= 0 && firstSim < 0.85)
            {
                // Same surname and birth date, other first names: twins or siblings unless a strong key says otherwise.
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "prénoms différents sans identifiant commun (jumeaux ?) : à vérifier"));
            }
            else if (zone == MatchZone.Same && date != DateAgreement.Different && FrenchNames.GenderedVariants(a.FirstNames, b.FirstNames)
                     && (Frequencies.Identities == 0 || (Frequencies.FirstNameCount(a) >= 2 && Frequencies.FirstNameCount(b) >= 2)))
            {
                // Louis / Louise, Jean / Jeanne born the same day: twins more often than a typo — when both
                // are first names in use in the département (« Alphons » seen once is « Alphonse » mistyped).
                zone = MatchZone.Possible;
                reasons?.Add(new MatchReason("regle", 0, "prénoms masculin et féminin d'une même racine, même date de naissance (jumeaux ?) : à vérifier"));
            }
        }
        return (score, zone);
    }

    /// <summary>Both records give a birth name apart from the usage name, and they are the same (folded).</summary>
    private static bool SameBirthName(PreparedRecord a, PreparedRecord b) =>
        a.Record.BirthName is { } x && b.Record.BirthName is { } y && FrenchNames.Fold(x) == FrenchNames.Fold(y) && FrenchNames.Fold(x).Length > 0;

    private double FrequencyWeight(List<MatchReason>? reasons, string feature, double weight, string what)
    {
        if (weight == 0) return 0;
        var contribution = Math.Clamp(FrequencyScale * weight, -FrequencyMalusCap, FrequencyBonusCap);
        if (Math.Abs(contribution) < 0.05) return 0;
        return Add(reasons, feature, contribution, contribution > 0 ? $"{what} peu fréquent dans le département" : $"{what} fréquent dans le département");
    }

    private static double SafeSum(double x, double y) => Math.Max(0, x) + Math.Max(0, y);

    private static bool SharesAny(string[] a, string[] b)
    {
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (x == y) return true;
            }
        }
        return false;
    }

    /// <summary>Best weighted Jaro-Winkler over two sets of variants; −1 when either side has none.</summary>
    private static (double Similarity, string Kind) Best(NameVariant[] a, NameVariant[] b)
    {
        if (a.Length == 0 || b.Length == 0) return (-1, "");
        var best = 0.0;
        var kind = "full";
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                var weight = Math.Min(x.Weight, y.Weight);
                if (weight <= best) continue;
                var s = StringSimilarity.JaroWinkler(x.Key, y.Key) * weight;
                if (s > best)
                {
                    best = s;
                    kind = x.Weight < y.Weight ? x.Kind : y.Kind;
                    if (kind == "full" && (x.Kind == "sans-particule" || y.Kind == "sans-particule")) kind = "sans-particule";
                }
            }
        }
        return (best, kind);
    }

    private static double Interpolate((double S, double C)[] curve, double s)
    {
        if (s <= curve[0].S) return curve[0].C;
        for (var i = 1; i < curve.Length; i++)
        {
            if (s <= curve[i].S)
            {
                var (s0, c0) = curve[i - 1];
                var (s1, c1) = curve[i];
                return c0 + (c1 - c0) * (s - s0) / (s1 - s0);
            }
        }
        return curve[^1].C;
    }

    private static double Add(List<MatchReason>? reasons, string feature, double contribution, string text)
    {
        reasons?.Add(new MatchReason(feature, Math.Round(contribution, 2), text));
        return contribution;
    }

    private static string Format(double similarity) => similarity.ToString("0.00", French);
}
