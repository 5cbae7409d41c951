using System.Globalization;
using Listes360.Domain.Risk;

namespace Listes360.Web.Components.Pages.Observatory;

/// <summary>The rupture-risk list's filters as typed in the page's address (French errors; the page and its CSV share them).</summary>
public static class RiskFilters
{
    public static (RiskFilter Filter, string? Error) Parse(string? territory, string? min, IEnumerable<string>? flags)
    {
        var known = new List<RiskFlag>();
        foreach (var code in flags ?? [])
        {
            var flag = Enum.GetValues<RiskFlag>().Cast<RiskFlag?>().FirstOrDefault(f => f!.Value.Code() == code?.Trim().ToUpperInvariant());
            if (flag is null)
                return (RiskFilter.All, $"Indicateur « {code} » inconnu : CRETON ou TRANSITION_AGE.");
            known.Add(flag.Value);
        }
        double probability = 0;
        if (!string.IsNullOrWhiteSpace(min)
            && (!double.TryParse(min.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out probability) || probability is < 0 or > 1 || double.IsNaN(probability)))
            return (new RiskFilter(null, [.. known], 0), $"« {min} » n'est pas une probabilité : un nombre entre 0 et 1, par exemple 0,3.");
        return (new RiskFilter(string.IsNullOrWhiteSpace(territory) ? null : territory.Trim(), [.. known.Distinct()], probability), null);
    }
}
