using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Lists;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Listes360.Grains.Tests.Registry;

namespace Listes360.Grains.Tests.Lists;

/// <summary>
/// A département's lists imported together (issue 20, onboarding): a person's rows of several lists are one
/// commit, refusals stay per row, the call is for the département's administrators. Département 77: no other test's persons there.
/// </summary>
[Collection(MemoryClusterCollection.Name)]
public sealed class DepartmentListImportTests(MemoryClusterFixture cluster)
{
    private const string Department = "77";
    private static readonly Caller Admin = new("admin 77", Role.Admin, [], Department, null);
    private static int _next;
    private static readonly string Unregistered = FinessNumber.WithKey("77099999").Value;

    private static DateOnly Today => DateOnly.FromDateTime(MemoryClusterFixture.Clock.Now.UtcDateTime);

    private async Task<string> NewMasAsync()
    {
        var finess = FinessNumber.WithKey(Department + (100 + Interlocked.Increment(ref _next)).ToString("D6")).Value;
        using (CallerContext.As(Admin))
            await cluster.Grains.GetGrain<IEsmsGrain>(finess).RegisterAsync(EsmsGrainTests.Profile(finess, "MAS de l'onboarding", "255"), "admin");
        return finess;
    }

    private static readonly string[] Surnames = ["Argentin", "Bocquet", "Carpentier", "Dufay", "Estienne", "Fauvel"];

    private static ListImportRow Row(string family, int i, int line, DateOnly? requested = null)
    {
        var identity = PersonIdentity.Create($"{Surnames[i]}-{family}", ["Gaspard"], new DateOnly(1972 + 3 * i, 1 + i, 9), Sex.Male, Today);
        return new ListImportRow(line, identity, MatchRecords.Of($"liste.csv:{line}", identity, null, null), null,
            new ListOrientation($"CDAPH-77-{family}-{i}", KindOfSupport.Mas, Today.AddYears(-1), null), Modality.Residential, requested ?? Today.AddDays(-10 - i), false);
    }

    [Fact]
    public async Task Two_lists_sharing_persons_write_each_person_once_and_a_second_import_changes_nothing()
    {
        var first = await NewMasAsync();
        var second = await NewMasAsync();
        DepartmentListRow[] rows =
        [
            new(first, "mas-a.csv", Row("Partage", 0, 2)),
            new(first, "mas-a.csv", Row("Partage", 1, 3)),
            new(first, "mas-a.csv", Row("Partage", 2, 4, Today.AddDays(3))), // a request date to come: refused alone
            new(second, "mas-b.csv", Row("Partage", 0, 2)),
            new(second, "mas-b.csv", Row("Partage", 1, 3)),
            new(Unregistered, "inconnu.csv", Row("Partage", 3, 2)),
        ];
        IReadOnlyList<ListRowResult> results;
        using (CallerContext.As(Admin))
            results = await cluster.Grains.GetGrain<IDepartmentListImportGrain>(Department).ImportAsync(rows, "admin 77");

        Assert.Equal([ListRowOutcome.Created, ListRowOutcome.Created, ListRowOutcome.Rejected, ListRowOutcome.Matched, ListRowOutcome.Matched, ListRowOutcome.Rejected],
            results.Select(r => r.Outcome).ToArray());
        Assert.Equal(RequestDates.InvalidRequestDate, results[2].Code);
        Assert.Equal("UNKNOWN_ESMS", results[5].Code);
        Assert.Contains(Unregistered, results[5].Message);
        Assert.Equal(results[0].PersonId, results[3].PersonId);
        using (CallerContext.As(Admin))
        {
            var person = await cluster.Grains.GetGrain<IPersonGrain>(results[0].PersonId!).GetAsync();
            Assert.Equal([first, second], person!.Candidatures.Select(c => c.Finess.Value).Order().ToArray());
            Assert.Equal(1, person.Version); // both lists' rows in one commit
            // Effects are held for the next chunks; completing the import delivers them.
            var delivery = await cluster.Grains.GetGrain<IDepartmentListImportGrain>(Department).CompleteAsync();
            Assert.True(delivery.Done);
            Assert.True(delivery.Receivers >= 4, $"{delivery.Receivers} destinataires"); // two ESMS, their rankings, the projections
            Assert.Equal(delivery.Receivers, delivery.ReceiversDone);
            Assert.Equal(2, (await cluster.Grains.GetGrain<IEsmsGrain>(second).GetCandidaturesAsync(true, null, 10)).Items.Count);
            Assert.Equal(2, (await cluster.Grains.GetGrain<IEsmsGrain>(first).GetCandidaturesAsync(true, null, 10)).Items.Count);
        }

        IReadOnlyList<ListRowResult> again;
        using (CallerContext.As(Admin))
            again = await cluster.Grains.GetGrain<IDepartmentListImportGrain>(Department).ImportAsync(rows, "admin 77");
        Assert.All(again.Where(r => r.Outcome != ListRowOutcome.Rejected), r => Assert.False(r.Changed));
        Assert.Equal(4, again.Count(r => r.Outcome == ListRowOutcome.Matched));
        using (CallerContext.As(Admin))
            Assert.Equal(1, (await cluster.Grains.GetGrain<IPersonGrain>(results[0].PersonId!).GetAsync())!.Version);
    }

    [Fact]
    public async Task Only_the_departments_administrators_may_onboard_it_and_only_with_its_own_esms()
    {
        var finess = await NewMasAsync();
        DepartmentListRow[] rows = [new(finess, "mas.csv", Row("Refus", 4, 2))];
        var grain = cluster.Grains.GetGrain<IDepartmentListImportGrain>(Department);
        Caller[] denied =
        [
            new("directrice", Role.EsmsDirector, [finess], Department, null),
            new("conseiller", Role.TerritorialStaff, [], Department, null),
            new("admin 61", Role.Admin, [], "61", null),
        ];
        foreach (var caller in denied)
        {
            using (CallerContext.As(caller))
            {
                Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.ImportAsync(rows, caller.Subject))).Code);
                Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => grain.CompleteAsync())).Code);
            }
        }
        // An ESMS of another département among the rows: the whole call is refused before the grain runs.
        using (CallerContext.As(Admin))
        {
            var other = await Assert.ThrowsAsync<DomainException>(() => grain.ImportAsync([.. rows, new(FinessNumber.WithKey("61099999").Value, "orne.csv", Row("Refus", 5, 2))], "admin 77"));
            Assert.Equal("FORBIDDEN", other.Code);
            var tooMany = await Assert.ThrowsAsync<DomainException>(() => grain.ImportAsync([.. Enumerable.Repeat(rows[0], DepartmentListImportGrain.MaxRows + 1)], "admin 77"));
            Assert.Equal("TOO_MANY_ROWS", tooMany.Code);
            Assert.Empty((await cluster.Grains.GetGrain<IEsmsGrain>(finess).GetCandidaturesAsync(false, null, 10)).Items);

            var allowed = await grain.ImportAsync(rows, "admin 77");
            Assert.Equal(ListRowOutcome.Created, Assert.Single(allowed).Outcome);
        }
    }

    [Fact]
    public async Task Chunks_sent_together_resolve_one_after_the_other_and_a_person_of_both_is_one_person_with_both_lists_delivered()
    {
        var first = await NewMasAsync();
        var second = await NewMasAsync();
        // Names and dates no other test of this class uses (a compound name matches its parts).
        static ListImportRow Alone(string name, string first, DateOnly birth, int line)
        {
            var identity = PersonIdentity.Create(name, [first], birth, Sex.Female, Today);
            return new ListImportRow(line, identity, MatchRecords.Of($"liste.csv:{line}", identity, null, null), null,
                new ListOrientation($"CDAPH-77-{name}", KindOfSupport.Mas, Today.AddYears(-1), null), Modality.Residential, Today.AddDays(-20), false);
        }
        DepartmentListRow[] chunkA = [new(first, "mas-a.csv", Alone("Quillivic", "Armelle", new DateOnly(1969, 6, 21), 2)),
            new(first, "mas-a.csv", Alone("Tanguy", "Solène", new DateOnly(1983, 10, 2), 3))];
        DepartmentListRow[] chunkB = [new(second, "mas-b.csv", Alone("Quillivic", "Armelle", new DateOnly(1969, 6, 21), 2)),
            new(second, "mas-b.csv", Alone("Jaouen", "Maïwenn", new DateOnly(1977, 12, 30), 3))];
        var grain = cluster.Grains.GetGrain<IDepartmentListImportGrain>(Department);
        IReadOnlyList<ListRowResult>[] answers;
        using (CallerContext.As(Admin))
            answers = await Task.WhenAll(grain.ImportAsync(chunkA, "admin 77"), grain.ImportAsync(chunkB, "admin 77"));

        // One chunk's rows resolved after the other's (in the order they arrive): its row of the shared person joins the
        // person the other created, never a second person.
        Assert.Equal([ListRowOutcome.Created, ListRowOutcome.Matched], new[] { answers[0][0].Outcome, answers[1][0].Outcome }.Order());
        Assert.Equal(ListRowOutcome.Created, answers[0][1].Outcome);
        Assert.Equal(ListRowOutcome.Created, answers[1][1].Outcome);
        Assert.Equal(answers[0][0].PersonId, answers[1][0].PersonId);
        using (CallerContext.As(Admin))
        {
            var person = await cluster.Grains.GetGrain<IPersonGrain>(answers[0][0].PersonId!).GetAsync();
            Assert.Equal([first, second], person!.Candidatures.Select(c => c.Finess.Value).Order().ToArray());
            HeldEffectsDelivery delivery;
            while (!(delivery = await grain.CompleteAsync()).Done) { }
            // The person's newest version was held (both chunks' rows): both ESMS list them, at once.
            Assert.Contains(answers[0][0].PersonId, (await cluster.Grains.GetGrain<IEsmsGrain>(first).GetCandidaturesAsync(true, null, 10)).Items.Select(c => c.PersonId.Value));
            Assert.Contains(answers[0][0].PersonId, (await cluster.Grains.GetGrain<IEsmsGrain>(second).GetCandidaturesAsync(true, null, 10)).Items.Select(c => c.PersonId.Value));
        }
    }

    [Fact]
    public async Task Whether_a_person_has_a_file_is_asked_by_the_service_only()
    {
        var finess = await NewMasAsync();
        IReadOnlyList<ListRowResult> created;
        using (CallerContext.As(Admin))
            created = await cluster.Grains.GetGrain<IDepartmentListImportGrain>(Department).ImportAsync([new(finess, "mas.csv", Row("Dossier", 5, 2))], "admin 77");
        var person = cluster.Grains.GetGrain<IPersonGrain>(created[0].PersonId!);
        using (CallerContext.As(new Caller("service", Role.System, [], Department, null)))
        {
            Assert.True(await person.HasFileAsync());
            Assert.False(await cluster.Grains.GetGrain<IPersonGrain>(PersonId.New(Department).Value).HasFileAsync());
        }
        using (CallerContext.As(Admin))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => person.HasFileAsync())).Code);
    }
}
