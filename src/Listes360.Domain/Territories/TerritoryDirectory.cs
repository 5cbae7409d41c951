using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Listes360.Domain.ReferenceData;

namespace Listes360.Domain.Territories;

/// <summary>A territory: an EPCI à fiscalité propre (code SIREN, 9 digits).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Territories.Territory")]
public sealed record Territory(
    [property: Id(0)] string Code,
    [property: Id(1)] string Name,
    [property: Id(2)] string Type);

/// <summary>A commune (in force, or delegated: a former commune merged into a commune nouvelle).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Territories.Commune")]
public sealed record Commune(
    [property: Id(0)] string InseeCode,
    [property: Id(1)] string Name,
    [property: Id(2)] bool IsDelegated,
    [property: Id(3)] string? ParentInseeCode,
    [property: Id(4)] IReadOnlyList<string> Postcodes,
    [property: Id(5)] string TerritoryCode,
    [property: Id(6)] string ArrondissementCode,
    [property: Id(7)] string ArrondissementName)
{
    /// <summary>The commune in force it belongs to: itself, or the commune nouvelle of a delegated one.</summary>
    public string InForceInseeCode => IsDelegated ? ParentInseeCode ?? InseeCode : InseeCode;
}

/// <summary>How an address was located (for reports: exact match, or the weaker CEDEX / name-only rule).</summary>
public enum LocationMatch
{
    /// <summary>Postcode and normalised commune name both match.</summary>
    PostcodeAndName = 1,
    /// <summary>The postcode is a CEDEX or otherwise unknown code; the name is unique in the département.</summary>
    NameOnly = 2,
    /// <summary>The name is unknown but the postcode belongs to communes of one territory only.</summary>
    PostcodeOnly = 3,
}

/// <summary>The result of locating an address.</summary>
public sealed record Location(Commune Commune, Territory Territory, LocationMatch Match);

/// <summary>
/// The communes and territories (EPCI) of one département, from the embedded copy of
/// <c>data/territories/</c> (extracted from <c>@etalab/decoupage-administratif</c>, see PROVENANCE.md).
/// </summary>
public sealed class TerritoryDirectory
{
    private readonly FrozenDictionary<string, Territory> territories;
    private readonly FrozenDictionary<string, Commune> communesInForce;
    private readonly ILookup<string, Commune> byPostcode;
    private readonly ILookup<string, Commune> byName;

    public string Department { get; }
    public IReadOnlyCollection<Territory> Territories => territories.Values;
    /// <summary>All communes, in force and delegated.</summary>
    public IReadOnlyList<Commune> Communes { get; }

    private TerritoryDirectory(string department, IEnumerable<Territory> territories, IReadOnlyList<Commune> communes)
    {
        Department = department;
        this.territories = territories.ToFrozenDictionary(t => t.Code, StringComparer.Ordinal);
        Communes = communes;
        communesInForce = communes.Where(c => !c.IsDelegated).ToFrozenDictionary(c => c.InseeCode, StringComparer.Ordinal);
        byPostcode = communes.SelectMany(c => c.Postcodes.Select(p => (p, c))).ToLookup(x => x.p, x => x.c, StringComparer.Ordinal);
        byName = communes.ToLookup(c => NormaliseName(c.Name), StringComparer.Ordinal);
    }

    private static readonly Dictionary<string, TerritoryDirectory> Cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The directory of a département whose territories are embedded (today <c>61</c>), or
    /// <c>TERRITORIES_NOT_AVAILABLE</c>.
    /// </summary>
    public static TerritoryDirectory FromEmbedded(string department)
    {
        var dep = department?.Trim().ToUpperInvariant() ?? "";
        lock (Cache)
        {
            if (Cache.TryGetValue(dep, out var cached)) return cached;
            if (!EmbeddedCsv.Exists(EmbeddedCsv.Territories(dep)) || !EmbeddedCsv.Exists(EmbeddedCsv.Communes(dep)))
                throw new DomainException("TERRITORIES_NOT_AVAILABLE",
                    $"Les territoires du département « {department} » ne sont pas disponibles (générez-les avec data/scripts/extract-territories.mjs).", "department");
            var territories = EmbeddedCsv.Read(EmbeddedCsv.Territories(dep))
                .Select(r => new Territory(r["epci_code"], r["epci_name"], r["epci_type"]));
            var communes = EmbeddedCsv.Read(EmbeddedCsv.Communes(dep))
                .Select(r => new Commune(
                    r["insee_code"], r["name"], r["type"] == "deleguee",
                    r["parent_insee_code"].Length == 0 ? null : r["parent_insee_code"],
                    r["postcodes"].Split('|', StringSplitOptions.RemoveEmptyEntries),
                    r["epci_code"], r["arrondissement_code"], r["arrondissement_name"]))
                .ToArray();
            var directory = new TerritoryDirectory(dep, territories, communes);
            Cache[dep] = directory;
            return directory;
        }
    }

    public Territory? TerritoryByCode(string code) => territories.GetValueOrDefault(code);

    /// <summary>The territory of a commune in force (INSEE code), or <c>null</c>.</summary>
    public Territory? TerritoryOfCommune(string inseeCode) =>
        communesInForce.TryGetValue(inseeCode, out var c) ? territories.GetValueOrDefault(c.TerritoryCode) : null;

    public Commune? CommuneByInseeCode(string inseeCode) => communesInForce.GetValueOrDefault(inseeCode);

    /// <summary>
    /// Locates an address given as postcode + commune name (e.g. FINESS'
    /// <c>ligneacheminement</c>). Names are compared normalised (<see cref="NormaliseName"/>). Rules, in
    /// order: postcode and name; then the name alone when unique in the département (CEDEX postcodes
    /// are not La Poste distribution postcodes); then the postcode alone when all its communes lie in
    /// one territory. <c>null</c> when none applies.
    /// </summary>
    /// <summary>
    /// <see cref="Locate"/> in the département's embedded directory; null when the address is not found
    /// or the département's communes do not ship with the service.
    /// </summary>
    public static Location? TryLocate(string department, string? postcode, string? communeName)
    {
        try
        {
            return FromEmbedded(department).Locate(postcode, communeName);
        }
        catch (DomainException e) when (e.Code == "TERRITORIES_NOT_AVAILABLE")
        {
            return null;
        }
    }

    public Location? Locate(string? postcode, string? communeName)
    {
        var pc = postcode?.Trim() ?? "";
        var name = NormaliseName(communeName ?? "");
        var withPostcode = byPostcode[pc].ToArray();
        var exact = withPostcode.Where(c => NormaliseName(c.Name) == name).ToArray();
        if (Pick(exact, LocationMatch.PostcodeAndName) is { } l1) return l1;
        if (Pick(byName[name].ToArray(), LocationMatch.NameOnly) is { } l2) return l2;
        if (withPostcode.Length > 0 && withPostcode.Select(c => c.TerritoryCode).Distinct().Count() == 1)
            return Pick([withPostcode.OrderBy(c => c.IsDelegated).First()], LocationMatch.PostcodeOnly);
        return null;
    }

    private Location? Pick(Commune[] candidates, LocationMatch match)
    {
        if (candidates.Length == 0) return null;
        // A delegated commune and its commune nouvelle can share a name: they share the territory too.
        if (candidates.Select(c => c.TerritoryCode).Distinct().Count() != 1) return null;
        var commune = candidates.OrderBy(c => c.IsDelegated).First();
        return territories.TryGetValue(commune.TerritoryCode, out var t) ? new Location(commune, t, match) : null;
    }

    /// <summary>
    /// Upper case without accents, « CEDEX nn » dropped, hyphens and apostrophes as spaces, SAINT(E)
    /// abbreviated ST(E), spaces collapsed: « L'Aigle » and « L AIGLE CEDEX » both give « L AIGLE ».
    /// </summary>
    public static string NormaliseName(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(ch switch
            {
                '-' or '\'' or '’' or '.' or ',' => ' ',
                'œ' or 'Œ' => 'O',
                _ => char.ToUpperInvariant(ch),
            });
            if (ch is 'œ' or 'Œ') sb.Append('E');
        }
        var words = sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var cedex = words.IndexOf("CEDEX");
        if (cedex >= 0) words.RemoveRange(cedex, words.Count - cedex);
        for (var i = 0; i < words.Count; i++)
            words[i] = words[i] switch { "SAINT" => "ST", "SAINTE" => "STE", _ => words[i] };
        return string.Join(' ', words);
    }
}
