using System.Globalization;
using Listes360.Application.Identity;
using Listes360.Application.Persons;
using Listes360.Application.Registry;
using Listes360.Application.Sequential;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Listes360.Application.Tests;

/// <summary>
/// The use cases on the in-memory cluster, in their own département (73): what they orchestrate (a
/// person entered through the API and a row of a list find each other), that they act as the caller
/// they are given, and what they return.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class UseCaseTests(MemoryClusterFixture cluster)
{
    private const string Department = "73";
    private const string Header = "Nom;Prénom;Date de naissance;N° dossier MDPH;Date de la demande;Modalité;Situation;N° décision CDAPH;Orientation";
    private static readonly Caller Admin = new("marie", Role.Admin, [], Department, null);
    private static readonly NirHasher Hasher = NirHasher.FromText("test-key-for-the-use-case-tests, long enough");
    private static int _next;

    private static TimeProvider Clock => MemoryClusterFixture.Clock;

    private static DateOnly Today => Domain.Time.ParisDate.Today(MemoryClusterFixture.Clock);

    private static string Unique(string prefix) => prefix + Interlocked.Increment(ref _next).ToString("D4", CultureInfo.InvariantCulture);

    private async Task<string> NewMasAsync()
    {
        var finess = FinessNumber.WithKey(Department + (100 + Interlocked.Increment(ref _next)).ToString("D6", CultureInfo.InvariantCulture));
        var registered = await new RegisterEsms(cluster.Grains).ExecuteAsync(new EsmsRegistrationRequest(finess.Value, "MAS des Essais", "255"), Admin);
        Assert.True(registered.Changed);
        return finess.Value;
    }

    private static CreatePersonInput Person(string birthName, string mdph) =>
        new(Department, birthName, ["Lucie"], new DateOnly(1980, 5, 17), Sex.Female, MdphFileNumber: mdph,
            Situation: new SituationInput(SituationKind.AtHomeWithoutSolution, new DateOnly(2025, 1, 1)));

    [Fact]
    public async Task A_person_entered_twice_is_created_once_and_the_second_entry_returns_her()
    {
        var createPerson = new CreatePerson(cluster.Grains, Clock, Hasher);
        var input = Person(Unique("Deuxfois"), Unique("MDPH73-"));

        var first = await createPerson.ExecuteAsync(input, Admin);
        var second = await createPerson.ExecuteAsync(input, Admin);

        Assert.Equal(first.Person.Record.Id, second.Person.Record.Id);
        Assert.StartsWith(Department + "-", first.Person.Record.Id.Value, StringComparison.Ordinal);
        Assert.Equal(SituationKind.AtHomeWithoutSolution, second.Person.Record.Situation?.Kind);
    }

    [Fact]
    public async Task A_person_entered_through_the_api_is_the_person_a_list_row_then_names()
    {
        var finess = await NewMasAsync();
        var name = Unique("Saisie");
        var mdph = Unique("MDPH73-");
        var entered = await new CreatePerson(cluster.Grains, Clock, Hasher).ExecuteAsync(Person(name, mdph), Admin);

        var list = $"{Header}\r\n{name};Lucie;17/05/1980;{mdph};{Today.AddDays(-3):dd/MM/yyyy};internat;à domicile;CDAPH-73-{mdph};MAS\r\n";
        var report = (await new ImportCandidatureList(cluster.Grains, Clock, Hasher)
            .ExecuteAsync(new ImportCandidatureListInput(finess, "liste.csv", list), Admin)).Report;

        Assert.Equal((1, 0, 1, 1), (report.RowsRead, report.PersonsCreated, report.Matched, report.CandidaturesCreated));
        Assert.Empty(report.Rejected);
        var person = await cluster.Grains.GetGrain<Grains.Persons.IPersonGrain>(entered.Person.Record.Id.Value).GetAsyncAs(Admin);
        Assert.Contains(person!.Candidatures, c => c.Finess.Value == finess);
    }

    [Fact]
    public async Task A_person_a_list_brought_is_returned_as_is_when_entered_again()
    {
        var finess = await NewMasAsync();
        var name = Unique("Liste");
        var mdph = Unique("MDPH73-");
        var list = $"{Header}\r\n{name};Lucie;17/05/1980;{mdph};{Today.AddDays(-3):dd/MM/yyyy};internat;à domicile;CDAPH-73-{mdph};MAS\r\n";
        var report = (await new ImportCandidatureList(cluster.Grains, Clock, Hasher)
            .ExecuteAsync(new ImportCandidatureListInput(finess, "liste.csv", list), Admin)).Report;
        Assert.Equal(1, report.PersonsCreated);

        var entered = await new CreatePerson(cluster.Grains, Clock, Hasher).ExecuteAsync(Person(name, mdph), Admin);

        Assert.Contains(entered.Person.Candidatures, c => c.Finess.Value == finess);
    }

    [Fact]
    public async Task A_nir_without_the_departmental_secret_is_refused_before_anything_is_recorded()
    {
        var name = Unique("Sansecret");
        var input = Person(name, Unique("MDPH73-")) with { Nir = "1 70 01 61 123 456 55" };

        var refused = await Assert.ThrowsAsync<DomainException>(() => new CreatePerson(cluster.Grains, Clock).ExecuteAsync(input, Admin));

        Assert.Equal(("NIR_HASHING_UNAVAILABLE", "nir"), (refused.Code, refused.Field));
        // Nothing was indexed: the same person entered without NIR is new, then found again.
        var created = await new CreatePerson(cluster.Grains, Clock).ExecuteAsync(input with { Nir = null }, Admin);
        Assert.Equal(created.Person.Record.Id, (await new CreatePerson(cluster.Grains, Clock).ExecuteAsync(input with { Nir = null }, Admin)).Person.Record.Id);
    }

    [Fact]
    public async Task A_use_case_acts_as_the_caller_it_is_given()
    {
        var director = new Caller("directrice", Role.EsmsDirector, [FinessNumber.WithKey("73000001").Value], Department, null);

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            new CreatePerson(cluster.Grains, Clock, Hasher).ExecuteAsync(Person(Unique("Directrice"), Unique("MDPH73-")), director));

        Assert.Equal("FORBIDDEN", refused.Code);
        Assert.Null(Grains.Security.CallerContext.Current);
    }

    [Fact]
    public async Task A_status_change_returns_the_candidature_and_its_person()
    {
        var finess = await NewMasAsync();
        var person = (await new CreatePerson(cluster.Grains, Clock, Hasher).ExecuteAsync(Person(Unique("Statut"), Unique("MDPH73-")), Admin)).Person;
        await new AddOrientation(cluster.Grains, Clock).ExecuteAsync(
            new AddOrientationInput(person.Record.Id.Value, Unique("CDAPH-73-"), KindOfSupport.Mas, new DateOnly(2025, 1, 1)), Admin);
        var created = await new CreateCandidature(cluster.Grains, Clock).ExecuteAsync(
            new CreateCandidatureInput(person.Record.Id.Value, finess, Modality.Residential), Admin);
        Assert.Equal((person.Record.Id.Value, Today), (created.PersonId, created.Candidature!.RequestDate));

        var changed = await new ChangeCandidatureStatus(cluster.Grains).ExecuteAsync(
            new ChangeCandidatureStatusInput(person.Record.Id.Value, created.Candidature.Id.Value, CandidatureStatus.UnderReview), Admin);

        Assert.Equal((created.Candidature.Id, CandidatureStatus.UnderReview), (changed.Candidature!.Id, changed.Candidature.Status));
        Assert.Same(changed.Candidature, changed.Person!.Candidatures.Single(c => c.Id == created.Candidature.Id));
    }

    [Fact]
    public async Task Availability_without_any_day_is_refused_before_the_esms_is_called()
    {
        var refused = await Assert.ThrowsAsync<DomainException>(() => new DeclareAvailability(cluster.Grains, Clock).ExecuteAsync(
            new DeclareAvailabilityInput(FinessNumber.WithKey("73000001").Value, Modality.Sequential, [], 2), Admin));

        Assert.Equal(("INVALID_AVAILABILITY", "slots"), (refused.Code, refused.Field));
    }

    [Fact]
    public void Every_use_case_is_registered_once()
    {
        var services = new ServiceCollection().AddListes360UseCases();

        var names = services.Select(s => s.ServiceType.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["AddOrientation", "ChangeCandidatureStatus", "ConfigureVacancyHook", "CreateCandidature", "CreatePerson", "DeclareAvailability",
            "ExpireVacancyOffer", "ImportCandidatureList", "MergePersons", "OfferVacancy", "ProposeSequentialPlacement",
            "ProposeVacancy", "PublishGrid", "ReconcileDepartment", "RecordConsent", "RecordExit", "RecordVacancyRefusal",
            "RegisterEsms", "RemoveSequentialNeeds", "RemoveVacancyHook", "ResolveReview", "ResolveSolutionElsewhere", "SetEsmsPlaces",
            "SetSequentialNeeds", "SetUrgency", "SplitPerson", "UpdatePersonSituation", "WithdrawAvailability",
            "WithdrawVacancy"], names);
    }
}

internal static class PersonGrainReads
{
    public static async Task<Grains.Persons.PersonSnapshot?> GetAsyncAs(this Grains.Persons.IPersonGrain grain, Caller caller)
    {
        using (Grains.Security.CallerContext.As(caller))
            return await grain.GetAsync();
    }
}
