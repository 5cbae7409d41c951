using System.Reflection;
using Listes360.AzureStorage.GrainState;
using Listes360.Domain;
using Listes360.Grains.Persons;

namespace Listes360.Grains.Tests.Common;

/// <summary>
/// Every persisted type and grain interface of the Listes360 assemblies carries a stable, unique [Alias]:
/// its stored and wire name does not change when it is renamed or moved. The Orleans analyzer (ORLEANS0010,
/// raised to error in .editorconfig) says the same at build time; this holds the rule even if it is relaxed,
/// and checks uniqueness across assemblies, which the analyzer (one compilation at a time) cannot.
/// </summary>
public sealed class PersistedTypeAliasTests
{
    private static readonly Assembly[] Assemblies =
    [
        typeof(DomainException).Assembly,
        typeof(IPersonGrain).Assembly,
        typeof(GrainStateTooLargeException).Assembly,
    ];

    private static IEnumerable<Type> OwnTypes() =>
        Assemblies.SelectMany(a => a.GetTypes()).Where(t => t.Namespace?.StartsWith("Listes360.", StringComparison.Ordinal) == true);

    private static IEnumerable<Type> SerializedTypes() =>
        OwnTypes().Where(t => t.IsDefined(typeof(GenerateSerializerAttribute), inherit: false));

    private static IEnumerable<Type> GrainInterfaces() =>
        OwnTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t));

    private static string? AliasOf(MemberInfo member) => member.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias;

    [Fact]
    public void Every_serialized_type_has_an_alias_of_its_own_not_its_CSharp_name()
    {
        var types = SerializedTypes().ToList();
        Assert.True(types.Count > 100, $"only {types.Count} [GenerateSerializer] types found: the scan misses assemblies");
        var missing = types.Where(t => string.IsNullOrWhiteSpace(AliasOf(t))).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, "[GenerateSerializer] types without [Alias]: " + string.Join(", ", missing));
        var badlyNamed = types.Where(t => AliasOf(t) is { } alias
                && (!alias.StartsWith("Listes360.", StringComparison.Ordinal) || alias == t.FullName))
            .Select(t => $"{t.FullName} → {AliasOf(t)}").ToList();
        Assert.True(badlyNamed.Count == 0,
            "aliases must read Listes360.<Area>.<TypeName> and differ from the C# full name (so a move keeps them): " + string.Join(", ", badlyNamed));
    }

    [Fact]
    public void Every_grain_interface_and_grain_method_has_an_alias()
    {
        var interfaces = GrainInterfaces().ToList();
        Assert.True(interfaces.Count >= 20, $"only {interfaces.Count} grain interfaces found");
        var missing = interfaces.Where(i => string.IsNullOrWhiteSpace(AliasOf(i))).Select(i => i.FullName).ToList();
        Assert.True(missing.Count == 0, "grain interfaces without [Alias]: " + string.Join(", ", missing));
        foreach (var grainInterface in interfaces)
        {
            var methods = grainInterface.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            var unaliased = methods.Where(m => string.IsNullOrWhiteSpace(AliasOf(m))).Select(m => m.Name).ToList();
            Assert.True(unaliased.Count == 0, $"{grainInterface.Name}: methods without [Alias]: {string.Join(", ", unaliased)}");
            var clashes = methods.GroupBy(m => AliasOf(m)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(clashes.Count == 0, $"{grainInterface.Name}: method aliases used twice: {string.Join(", ", clashes)}");
        }
    }

    [Fact]
    public void No_two_types_share_an_alias_across_the_assemblies()
    {
        var clashes = SerializedTypes().Concat(GrainInterfaces())
            .Where(t => AliasOf(t) is not null)
            .GroupBy(t => AliasOf(t)!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" / ", g.Select(t => t.FullName))}")
            .ToList();
        Assert.True(clashes.Count == 0, "aliases used by more than one type: " + string.Join("; ", clashes));
    }
}
