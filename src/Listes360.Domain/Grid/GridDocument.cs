using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Listes360.Domain.Candidatures;

namespace Listes360.Domain.Grid;

/// <summary>
/// Reads and validates a grid JSON document. The schema is written out here rather than in a JSON
/// Schema file so that each fault gets a French message saying what is expected; every fault is
/// reported at once with its JSON path (<c>$.criteria[2].bands[0].points</c>), and an unknown field is
/// a fault (a typo must not silently drop a criterion).
/// </summary>
/// <remarks>
/// Document: <c>department</c> (code), <c>label</c>, optional <c>effectiveFrom</c> (yyyy-MM-dd),
/// <c>eligibility.rankedStatuses</c>, <c>offers</c> (<c>answerDeadlineDays</c>,
/// <c>suitableRefusalReasons</c>, optional <c>reviewAfterRefusals</c>) and <c>criteria</c>, each with
/// <c>id</c>, <c>label</c>, <c>fact</c>, optional <c>rationale</c>, and either <c>points</c> (yes/no
/// facts) or <c>base</c>/<c>perUnit</c>/<c>every</c>/<c>cap</c> or <c>bands</c> (numeric facts).
/// </remarks>
public static partial class GridDocument
{
    /// <summary>Points of one criterion, and of a band, stay within ±<see cref="MaxPoints"/>.</summary>
    public const int MaxPoints = 1000;

    public const int MaxCriteria = 40;

    private static readonly string[] RootFields = ["department", "label", "effectiveFrom", "eligibility", "offers", "criteria"];
    private static readonly string[] CriterionFields = ["id", "label", "fact", "rationale", "points", "base", "perUnit", "every", "cap", "bands"];

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,39}$")]
    private static partial Regex CriterionId();

    [GeneratedRegex("^(\\d{2}|2A|2B|97\\d)$")]
    private static partial Regex DepartmentCode();

    /// <summary>
    /// The grid of a document, with <paramref name="version"/> and (when the document gives none)
    /// <paramref name="defaultEffectiveFrom"/>; throws <see cref="GridValidationException"/> with every fault.
    /// </summary>
    public static CriteriaGrid Parse(string json, int version, DateOnly defaultEffectiveFrom)
    {
        var errors = new List<GridError>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json ?? "", new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } l ? $" (ligne {l + 1}, position {e.BytePositionInLine + 1})" : "";
            throw new GridValidationException([new GridError("$", $"Le document n'est pas un JSON valide{where}.")]);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new GridValidationException([new GridError("$", "Le document doit être un objet JSON.")]);
            UnknownFields(root, "$", RootFields, errors);

            var department = RequiredString(root, "$", "department", errors);
            if (department is not null && !DepartmentCode().IsMatch(department))
                errors.Add(new("$.department", $"« {department} » n'est pas un code de département (ex. 61, 2A, 974)."));
            var label = RequiredString(root, "$", "label", errors);

            var effectiveFrom = defaultEffectiveFrom;
            if (root.TryGetProperty("effectiveFrom", out var eff))
            {
                if (eff.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(eff.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out effectiveFrom))
                    errors.Add(new("$.effectiveFrom", "La date d'entrée en vigueur doit être une date au format AAAA-MM-JJ (ex. 2026-12-01)."));
            }

            var eligibility = ReadEligibility(root, errors);
            var offers = ReadOffers(root, errors);
            var criteria = ReadCriteria(root, errors);

            if (errors.Count > 0)
                throw new GridValidationException(errors);
            return new CriteriaGrid
            {
                Department = department!,
                Version = version,
                EffectiveFrom = effectiveFrom,
                Label = label!,
                Criteria = criteria,
                Eligibility = eligibility!,
                Offers = offers!,
                Json = json!,
            };
        }
    }

    private static EligibilityRules? ReadEligibility(JsonElement root, List<GridError> errors)
    {
        if (RequiredObject(root, "$", "eligibility", errors) is not { } e) return null;
        UnknownFields(e, "$.eligibility", ["rankedStatuses"], errors);
        var statuses = ImmutableArray.CreateBuilder<CandidatureStatus>();
        if (RequiredArray(e, "$.eligibility", "rankedStatuses", errors) is { } arr)
        {
            var i = 0;
            foreach (var item in arr.EnumerateArray())
            {
                var path = $"$.eligibility.rankedStatuses[{i++}]";
                var code = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                var info = CandidatureStatuses.All.FirstOrDefault(s => s.Code == code);
                if (info is null || !info.IsOpen)
                    errors.Add(new(path, $"« {code ?? item.ToString()} » n'est pas un statut ouvert ; statuts possibles : {string.Join(", ", CandidatureStatuses.All.Where(s => s.IsOpen).Select(s => s.Code))}."));
                else if (statuses.Contains(info.Status))
                    errors.Add(new(path, $"Le statut {code} est cité deux fois."));
                else
                    statuses.Add(info.Status);
            }
            if (i == 0)
                errors.Add(new("$.eligibility.rankedStatuses", "Au moins un statut doit être classé (ex. WAITING)."));
        }
        return new EligibilityRules { RankedStatuses = statuses.ToImmutable() };
    }

    private static OfferRules? ReadOffers(JsonElement root, List<GridError> errors)
    {
        if (RequiredObject(root, "$", "offers", errors) is not { } o) return null;
        UnknownFields(o, "$.offers", ["answerDeadlineDays", "suitableRefusalReasons", "reviewAfterRefusals", "priorityFirst"], errors);
        var deadline = RequiredInt(o, "$.offers", "answerDeadlineDays", errors);
        if (deadline is < 1 or > 90)
            errors.Add(new("$.offers.answerDeadlineDays", $"Le délai de réponse à une offre doit être compris entre 1 et 90 jours (reçu {deadline})."));
        var reasons = ImmutableArray.CreateBuilder<CandidatureReason>();
        if (RequiredArray(o, "$.offers", "suitableRefusalReasons", errors) is { } arr)
        {
            var declinable = CandidatureReasons.AllowedFor(CandidatureStatus.DeclinedByPerson);
            var i = 0;
            foreach (var item in arr.EnumerateArray())
            {
                var path = $"$.offers.suitableRefusalReasons[{i++}]";
                var code = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                var info = CandidatureReasons.All.FirstOrDefault(r => r.Code == code);
                if (info is null || !declinable.Contains(info.Reason))
                    errors.Add(new(path, $"« {code ?? item.ToString()} » n'est pas un motif de refus d'une offre par la personne ; motifs possibles : {string.Join(", ", declinable.Select(r => r.Info().Code))}."));
                else if (!reasons.Contains(info.Reason))
                    reasons.Add(info.Reason);
            }
        }
        int? review = null;
        if (o.TryGetProperty("reviewAfterRefusals", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out var n) || n is < 1 or > 20)
                errors.Add(new("$.offers.reviewAfterRefusals", "Le nombre de refus déclenchant une revue par le staff territorial doit être un entier entre 1 et 20 (ou null pour jamais)."));
            else review = n;
        }
        var priorityFirst = false;
        if (o.TryGetProperty("priorityFirst", out var pf) && pf.ValueKind != JsonValueKind.Null)
        {
            if (pf.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                errors.Add(new("$.offers.priorityFirst", "« priorityFirst » (les personnes en urgence ou au titre de l'amendement Creton proposées en premier pour une place libérée) vaut true ou false."));
            else priorityFirst = pf.GetBoolean();
        }
        return new OfferRules { AnswerDeadlineDays = deadline ?? 0, SuitableRefusalReasons = reasons.ToImmutable(), ReviewAfterRefusals = review, PriorityFirst = priorityFirst };
    }

    private static ImmutableArray<GridCriterion> ReadCriteria(JsonElement root, List<GridError> errors)
    {
        var result = ImmutableArray.CreateBuilder<GridCriterion>();
        if (RequiredArray(root, "$", "criteria", errors) is not { } arr) return [];
        var count = arr.GetArrayLength();
        if (count == 0)
            errors.Add(new("$.criteria", "La grille doit compter au moins un critère."));
        if (count > MaxCriteria)
            errors.Add(new("$.criteria", $"La grille compte {count} critères ; {MaxCriteria} au plus."));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var c in arr.EnumerateArray())
        {
            var path = $"$.criteria[{i++}]";
            if (c.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(path, "Un critère doit être un objet JSON."));
                continue;
            }
            var before = errors.Count;
            UnknownFields(c, path, CriterionFields, errors);
            var id = RequiredString(c, path, "id", errors);
            if (id is not null && !CriterionId().IsMatch(id))
                errors.Add(new($"{path}.id", $"L'identifiant « {id} » doit être en majuscules, chiffres et _ (2 à 40 caractères, ex. SANS_SOLUTION)."));
            else if (id is not null && !ids.Add(id))
                errors.Add(new($"{path}.id", $"L'identifiant {id} est déjà utilisé par un autre critère."));
            var label = RequiredString(c, path, "label", errors);
            var factName = RequiredString(c, path, "fact", errors);
            GridFact? fact = null;
            if (factName is not null)
            {
                if (GridFacts.ByName.TryGetValue(factName, out var f)) fact = f;
                else errors.Add(new($"{path}.fact", $"Fait « {factName} » inconnu ; faits possibles : {string.Join(", ", GridFacts.ByName.Keys)}."));
            }
            var rationale = c.TryGetProperty("rationale", out var ra) && ra.ValueKind == JsonValueKind.String ? ra.GetString() : null;
            var points = OptionalPoints(c, path, "points", errors);
            var @base = OptionalPoints(c, path, "base", errors);
            var perUnit = OptionalPoints(c, path, "perUnit", errors);
            var every = OptionalInt(c, path, "every", errors);
            var cap = OptionalInt(c, path, "cap", errors);
            if (every is < 1 or > 1200)
                errors.Add(new($"{path}.every", $"« every » (le nombre d'unités par tranche de points) doit être compris entre 1 et 1200 (reçu {every})."));
            if (cap is < 0 or > MaxPoints)
                errors.Add(new($"{path}.cap", $"Le plafond doit être compris entre 0 et {MaxPoints} points (valeur absolue ; reçu {cap})."));
            var bands = ReadBands(c, path, errors);

            if (fact is { } ft)
            {
                var linear = @base is not null || perUnit is not null;
                var ways = (points is not null ? 1 : 0) + (linear ? 1 : 0) + (bands is not null ? 1 : 0);
                if (!ft.IsNumeric())
                {
                    if (points is null || ways != 1)
                        errors.Add(new(path, $"Le fait « {factName} » vaut oui ou non : le critère donne des points fixes (« points ») et rien d'autre."));
                }
                else if (ways != 1 || points is not null)
                    errors.Add(new(path, $"Le fait « {factName} » est un nombre : le critère donne soit « perUnit » (avec « base », « every » et « cap » facultatifs), soit des tranches (« bands »)."));
                else if (perUnit is not null && cap is null)
                    errors.Add(new($"{path}.cap", "Un critère à points par unité doit avoir un plafond (« cap ») : le score reste borné."));
            }
            if (errors.Count == before)
                result.Add(new GridCriterion
                {
                    Id = id!, Label = label!, Fact = fact!.Value, Rationale = rationale,
                    Points = points, Base = @base, PerUnit = perUnit, Every = every ?? 1, Cap = cap,
                    Bands = bands ?? [],
                });
        }
        return result.ToImmutable();
    }

    private static ImmutableArray<GridBand>? ReadBands(JsonElement c, string path, List<GridError> errors)
    {
        if (!c.TryGetProperty("bands", out var arr)) return null;
        if (arr.ValueKind != JsonValueKind.Array || arr.GetArrayLength() == 0)
        {
            errors.Add(new($"{path}.bands", "« bands » doit être une liste non vide de tranches { from, to, points }."));
            return null;
        }
        var bands = ImmutableArray.CreateBuilder<GridBand>();
        var i = 0;
        foreach (var b in arr.EnumerateArray())
        {
            var bp = $"{path}.bands[{i++}]";
            if (b.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(bp, "Une tranche doit être un objet { from, to, points }."));
                continue;
            }
            UnknownFields(b, bp, ["from", "to", "points"], errors);
            var from = OptionalInt(b, bp, "from", errors) ?? 0;
            var to = OptionalInt(b, bp, "to", errors);
            var pts = OptionalPoints(b, bp, "points", errors);
            if (!b.TryGetProperty("points", out _))
                errors.Add(new($"{bp}.points", "Chaque tranche donne un nombre de points (« points »)."));
            if (to is { } t && t <= from)
                errors.Add(new($"{bp}.to", $"La fin de tranche ({t}) doit être supérieure à son début ({from})."));
            if (bands.Count > 0 && (bands[^1].To is not { } prevTo || from < prevTo))
                errors.Add(new($"{bp}.from", $"Les tranches doivent se suivre sans se chevaucher : celle-ci commence à {from}, la précédente finit {(bands[^1].To is { } pt ? $"à {pt}" : "jamais")}."));
            bands.Add(new GridBand(from, to, pts ?? 0));
        }
        return bands.ToImmutable();
    }

    private static void UnknownFields(JsonElement obj, string path, string[] known, List<GridError> errors)
    {
        foreach (var p in obj.EnumerateObject())
            if (!known.Contains(p.Name, StringComparer.Ordinal))
                errors.Add(new($"{path}.{p.Name}", $"Champ « {p.Name} » inconnu ; champs possibles ici : {string.Join(", ", known)}."));
    }

    private static string? RequiredString(JsonElement obj, string path, string name, List<GridError> errors)
    {
        if (obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()))
            return v.GetString()!.Trim();
        errors.Add(new($"{path}.{name}", $"Le champ « {name} » est obligatoire et doit être un texte non vide."));
        return null;
    }

    private static JsonElement? RequiredObject(JsonElement obj, string path, string name, List<GridError> errors)
    {
        if (obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object) return v;
        errors.Add(new($"{path}.{name}", $"Le champ « {name} » est obligatoire et doit être un objet."));
        return null;
    }

    private static JsonElement? RequiredArray(JsonElement obj, string path, string name, List<GridError> errors)
    {
        if (obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array) return v;
        errors.Add(new($"{path}.{name}", $"Le champ « {name} » est obligatoire et doit être une liste."));
        return null;
    }

    private static int? RequiredInt(JsonElement obj, string path, string name, List<GridError> errors)
    {
        if (!obj.TryGetProperty(name, out _))
        {
            errors.Add(new($"{path}.{name}", $"Le champ « {name} » est obligatoire (un nombre entier)."));
            return null;
        }
        return OptionalInt(obj, path, name, errors);
    }

    private static int? OptionalInt(JsonElement obj, string path, string name, List<GridError> errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
        errors.Add(new($"{path}.{name}", $"« {name} » doit être un nombre entier (reçu {v.GetRawText()})."));
        return null;
    }

    private static int? OptionalPoints(JsonElement obj, string path, string name, List<GridError> errors)
    {
        var n = OptionalInt(obj, path, name, errors);
        if (n is { } p && Math.Abs(p) > MaxPoints)
        {
            errors.Add(new($"{path}.{name}", $"« {name} » doit être compris entre -{MaxPoints} et {MaxPoints} points (reçu {p})."));
            return null;
        }
        return n;
    }

    /// <summary>The default grid of a département, embedded from <c>Grid/default-{department}.json</c>.</summary>
    public static string DefaultJson(string department)
    {
        var resource = $"Listes360.Domain.Grid.default-{department}.json";
        using var stream = typeof(GridDocument).Assembly.GetManifestResourceStream(resource)
            ?? throw new DomainException("GRID_NOT_AVAILABLE", $"Aucune grille par défaut n'est livrée pour le département « {department} » ; un administrateur doit en publier une.", "department");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static bool HasDefault(string department) =>
        typeof(GridDocument).Assembly.GetManifestResourceInfo($"Listes360.Domain.Grid.default-{department}.json") is not null;
}
