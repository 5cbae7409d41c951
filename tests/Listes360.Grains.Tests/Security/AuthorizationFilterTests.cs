using System.Reflection;
using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Tests.Security;

[Collection(MemoryClusterCollection.Name)]
public sealed class AuthorizationFilterTests(MemoryClusterFixture cluster)
{
    private static readonly Caller Admin = new("admin", Role.Admin, [], "61", null);

    [Fact]
    public void Every_grain_method_declares_who_may_call_it()
    {
        var grainInterfaces = typeof(IEsmsGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t));

        var missing = grainInterfaces
            .SelectMany(i => i.GetMethods())
            .Where(m => m.GetCustomAttribute<AllowAttribute>() is null == m.GetCustomAttribute<InternalAttribute>() is null)
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.True(missing.Count == 0, "Méthodes sans règle d'accès (ou avec deux) : " + string.Join(", ", missing));
        Assert.NotEmpty(grainInterfaces);
    }

    /// <summary>Allowed methods whose key names no place, and arguments that name one as data, not as what the call touches.</summary>
    private static readonly Dictionary<string, string> Unscoped = new()
    {
        ["IAuditGrain.QueryAsync"] = "la clé « audit » ne nomme aucun lieu : le grain du journal limite lui-même un administrateur de département aux cibles de son département",
        ["IPersonGrain.UpdateSituationAsync(situation)"] = "l'ESMS d'accueil d'une situation est un fait sur la personne, qui peut être accueillie hors du département",
        ["IAuditGrain.QueryAsync(query)"] = "le département de la recherche est imposé par le grain à un administrateur de département, non choisi par l'appelant",
        ["IPersonGrain.CreateAsync(situation)"] = "de même à la création de la personne",
        ["IRankingGrain.GetNamesAsync(persons)"] = "chaque personne est vérifiée par le grain avec la même règle (AccessPolicy.DenyScope, portée Person) et laissée de côté hors de portée : un candidat d'un autre département ne refuse pas tout le classement",
    };

    /// <summary>
    /// Issue 12, class 4: a call is checked on its key and on every argument naming a département, an
    /// ESMS, a territory or a person, for every role. A new method or argument that names one without
    /// saying how it is scoped fails here, as a method without access rule fails above.
    /// </summary>
    [Fact]
    public void Every_grain_method_scopes_its_key_and_every_argument_naming_a_place_or_a_person()
    {
        var methods = typeof(IEsmsGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .SelectMany(i => i.GetMethods())
            .Where(m => m.GetCustomAttribute<AllowAttribute>() is not null)
            .ToList();

        var problems = new List<string>();
        foreach (var method in methods)
        {
            var name = $"{method.DeclaringType!.Name}.{method.Name}";
            if (method.GetCustomAttribute<AllowAttribute>()!.Scope is KeyScope.None && !Unscoped.ContainsKey(name))
                problems.Add($"{name} : clé sans portée (Allow.Scope)");
            foreach (var parameter in method.GetParameters())
            {
                var scoped = parameter.GetCustomAttribute<ScopedAttribute>();
                var element = ElementType(parameter.ParameterType);
                if (scoped is null && NamesAPlace(parameter.Name!, element) && !Unscoped.ContainsKey($"{name}({parameter.Name})"))
                    problems.Add($"{name}({parameter.Name}) : argument sans [Scoped]");
                if (scoped?.Member is { } member && element.GetProperty(member) is null)
                    problems.Add($"{name}({parameter.Name}) : {element.Name} n'a pas de propriété {member}");
            }
        }

        Assert.True(problems.Count == 0, "Portées manquantes : " + string.Join(" ; ", problems));
        Assert.Contains(methods, m => m.GetParameters().Any(p => p.GetCustomAttribute<ScopedAttribute>() is not null));
    }

    private static readonly string[] PlaceWords = ["department", "finess", "territory", "person", "survivor", "merged"];

    private static bool IsPlace(Type type) => type == typeof(FinessNumber) || type == typeof(Listes360.Domain.Persons.PersonId);

    /// <summary>The argument, or a property of it (one level: the records calls carry), names a place or a person.</summary>
    private static bool NamesAPlace(string name, Type type) =>
        IsPlace(type)
        || (type == typeof(string) && PlaceWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
        || (type.Namespace?.StartsWith("Listes360", StringComparison.Ordinal) == true && !type.IsEnum && !IsPlace(type)
            && type.GetProperties().Any(p => IsPlace(ElementType(p.PropertyType))
                || (p.PropertyType == typeof(string) && p.Name is "Territory" or "Department" or "Finess" or "PersonId")));

    private static Type ElementType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } many)
            return Nullable.GetUnderlyingType(many.GetGenericArguments()[0]) ?? many.GetGenericArguments()[0];
        return type;
    }

    [Fact]
    public async Task An_argument_outside_the_callers_departement_is_refused_before_the_grain_runs()
    {
        using (CallerContext.As(Admin))
            await cluster.Grains.GetGrain<IEsmsGrain>("610000028").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610000028", "MAS du bocage", "255"), "admin");

        var person = Listes360.Domain.Persons.PersonId.New("61").Value;
        using (CallerContext.As(new Caller("conseiller", Role.TerritorialStaff, [], "61", null)))
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<Listes360.Grains.Persons.IPersonGrain>(person)
                .CreateCandidatureAsync(FinessNumber.Parse("620000018"), Modality.Residential, new DateOnly(2026, 11, 1), "conseiller"));
            Assert.Equal("FORBIDDEN", error.Code);
            Assert.Contains("62", error.Message);
        }
        Assert.Contains(MemoryClusterFixture.Audit.Entries, e => e.Target == person && e.Outcome == AuditOutcome.Denied && e.Operation == "IPersonGrain.CreateCandidatureAsync");
    }

    [Fact]
    public async Task An_admin_is_bound_to_its_departement_and_a_national_admin_is_not()
    {
        var profile = Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("620000026", "FAM de l'Artois", "437");
        var error = await Assert.ThrowsAsync<DomainException>(async () =>
        {
            using (CallerContext.As(Admin))
                await cluster.Grains.GetGrain<IEsmsGrain>("620000026").RegisterAsync(profile, "admin");
        });
        Assert.Equal("FORBIDDEN", error.Code);

        using (CallerContext.As(new Caller("national", Role.Admin, [], null, null, National: true)))
            Assert.True((await cluster.Grains.GetGrain<IEsmsGrain>("620000026").RegisterAsync(profile, "national")).Changed);
    }

    [Fact]
    public async Task A_call_without_identity_is_refused()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IEsmsGrain>("610008880").GetAsync());

        Assert.Equal("FORBIDDEN", error.Code);
        Assert.Contains("sans identité", error.Message);
    }

    [Fact]
    public async Task A_director_is_refused_another_esms_and_it_stays_unchanged()
    {
        using (CallerContext.As(Admin))
            await cluster.Grains.GetGrain<IEsmsGrain>("610008898").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610008898", "ESAT du Pays d'Auge", "246"), "admin");

        using (CallerContext.As(new Caller("dir", Role.EsmsDirector, ["610008906"], null, null)))
        {
            var error = await Assert.ThrowsAsync<DomainException>(() =>
                cluster.Grains.GetGrain<IEsmsGrain>("610008898").SetPlacesAsync(Modality.SemiResidential, 10, 0, new DateOnly(2026, 11, 23), "dir"));
            Assert.Equal("FORBIDDEN", error.Code);
        }

        using (CallerContext.As(Admin))
            Assert.Empty((await cluster.Grains.GetGrain<IEsmsGrain>("610008898").GetAsync())!.Places);
    }

    [Fact]
    public async Task Writes_and_denials_are_audited_with_the_caller_and_plain_reads_are_not()
    {
        using (CallerContext.As(Admin))
        {
            await cluster.Grains.GetGrain<IEsmsGrain>("610008922").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610008922", "FAM La Vallée", "437"), "admin");
            await cluster.Grains.GetGrain<IEsmsGrain>("610008922").GetAsync();
        }
        using (CallerContext.As(new Caller("intrus", Role.EsmsDirector, ["610000069"], null, null)))
            await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IEsmsGrain>("610008922").SetPlacesAsync(Modality.Residential, 1, 0, new DateOnly(2026, 11, 23), "intrus"));

        var entries = MemoryClusterFixture.Audit.Entries.Where(e => e.Target == "610008922").ToList();
        var write = Assert.Single(entries, e => e.Outcome == AuditOutcome.Done);
        Assert.Equal(("admin", Role.Admin, "IEsmsGrain.RegisterAsync", AuditKind.Write), (write.Subject, write.Role, write.Operation, write.Kind));
        var denied = Assert.Single(entries, e => e.Outcome == AuditOutcome.Denied);
        Assert.Equal(("intrus", "IEsmsGrain.SetPlacesAsync"), (denied.Subject, denied.Operation));
        Assert.DoesNotContain(entries, e => e.Operation == "IEsmsGrain.GetAsync");
    }

    [Fact]
    public async Task A_director_acts_on_their_own_esms()
    {
        using (CallerContext.As(Admin))
            await cluster.Grains.GetGrain<IEsmsGrain>("610008914").RegisterAsync(Listes360.Grains.Tests.Registry.EsmsGrainTests.Profile("610008914", "SAVS de l'Orne", "446"), "admin");

        using (CallerContext.As(new Caller("dir", Role.EsmsDirector, ["610008914"], null, null)))
        {
            var updated = await cluster.Grains.GetGrain<IEsmsGrain>("610008914").SetPlacesAsync(Modality.InCommunity, 30, 25, new DateOnly(2026, 11, 23), "dir");
            Assert.Equal(5, updated.Places.Single().Vacancies);
        }
    }
}
