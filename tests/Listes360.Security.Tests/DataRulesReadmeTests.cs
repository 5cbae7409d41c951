using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Listes360.Domain.Validation;
using Listes360.Testing;

namespace Listes360.Security.Tests;

/// <summary>The README's « Données refusées » states the enforced numbers: each row naming a constant gives its value.</summary>
public sealed partial class DataRulesReadmeTests
{
    [Fact]
    public void Every_number_of_the_section_is_the_constant_it_names()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "README.md"));
        var start = readme.IndexOf("### Données refusées", StringComparison.Ordinal);
        Assert.True(start >= 0, "README : sous-section « Données refusées » introuvable.");
        var end = readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
        var section = readme[start..end];

        var checkedConstants = new List<string>();
        foreach (Match row in ConstantRow().Matches(section))
        {
            var name = row.Groups["constant"].Value;
            var field = typeof(FieldLimits).GetField(name, BindingFlags.Public | BindingFlags.Static);
            Assert.True(field is not null, $"README : FieldLimits.{name} n'existe pas.");
            var stated = int.Parse(FirstNumber().Match(row.Groups["rule"].Value).Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
            Assert.True(Convert.ToInt32(field.GetValue(null), CultureInfo.InvariantCulture) == stated,
                $"README : « {row.Groups["rule"].Value.Trim()} » pour FieldLimits.{name}, qui vaut {field.GetValue(null)}.");
            checkedConstants.Add(name);
        }

        var every = typeof(FieldLimits).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(int)).Select(f => f.Name).Order().ToList();
        Assert.Equal(every, checkedConstants.Distinct().Order().ToList());
    }

    // | field | rule | code | `FieldLimits.X` |
    [GeneratedRegex(@"^\|[^|\n]*\|(?<rule>[^|\n]*)\|[^|\n]*\|\s*`FieldLimits\.(?<constant>\w+)`\s*\|\s*$", RegexOptions.Multiline)]
    private static partial Regex ConstantRow();

    [GeneratedRegex(@"\d[\d,]*")]
    private static partial Regex FirstNumber();
}
