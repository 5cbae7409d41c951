using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.WaitingList;
using Listes360.Grains.Department;
using Listes360.Grains.Security;
using Listes360.Grains.WaitingList;

namespace Listes360.Grains.Tests.WaitingList;

[Collection(MemoryClusterCollection.Name)]
public sealed class WaitingListShardGrainTests(MemoryClusterFixture cluster)
{
    private static readonly DepartmentTopology Topology = new() { WaitingShards = 4 };
    private static readonly FinessNumber Ime = FinessNumber.Parse("610000010");
    private static readonly Caller Referent = new("mdph-1", Role.MdphReferent, [], "61", null);
    private static readonly Caller StaffT1 = new("conseillere-t1", Role.TerritorialStaff, [], "61", "200035418");
    private static readonly Caller Director = new("directeur-ime", Role.EsmsDirector, [Ime.Value], "61", null);
    private static readonly Caller Observatory = new("observatoire", Role.Observatory, [], "61", null);

    private static WaitingListEntry Row(PersonId id, string name, string territory, long version = 1, WorklistItem[]? items = null) => new()
    {
        Person = id,
        Version = version,
        Reason = WaitingReason.OpenCandidature,
        BirthName = name,
        FirstNames = ["Kylian"],
        BirthDate = new DateOnly(2010, 3, 12),
        Territory = territory,
        Candidatures = [new ListedCandidature(CandidatureId.Parse($"C-{id.Value}"), Ime, Modality.Residential, KindOfSupport.Ime, CandidatureStatus.Waiting, new DateOnly(2024, 1, 1), false)],
        OldestRequest = new DateOnly(2024, 1, 1),
        Worklist = [.. items ?? []],
    };

    /// <summary>Seven random letters: a name no other test uses (digits would read as an MDPH number).</summary>
    private static string Letters() => new(Guid.NewGuid().ToString("N").Select(c => (char)('a' + c % 26)).Take(7).ToArray());

    private IWaitingListShardGrain ShardOf(PersonId id) => cluster.Grains.GetGrain<IWaitingListShardGrain>(Topology.ListShardOf(id));

    private async Task ApplyAsync(WaitingListEntry row)
    {
        using (CallerContext.As(Caller.ServiceItself))
            await ShardOf(row.Person).ApplyAsync(row);
    }

    private async Task<string[]> FindAsync(Caller caller, PersonId id, string search)
    {
        using (CallerContext.As(caller))
            return (await ShardOf(id).PageAsync(WaitingListFilter.All, WaitingListOrder.Name, search, null, 50)).Rows.Select(r => r.Entry.Person.Value).ToArray();
    }

    private IServiceProvider Silo => ((Orleans.TestingHost.InProcessSiloHandle)cluster.Cluster.Primary!).SiloHost.Services;

    private static GrainId ListShardId(string key) => GrainId.Create(GrainType.Create("waitinglistshard"), IdSpan.Create(key));

    [Fact]
    public async Task A_row_applied_is_stored_as_its_person_s_row_and_a_shard_stored_whole_moves_to_rows()
    {
        var rows = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Grains.Common.IKeyedRowStorage>(Silo);
        var serializer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Orleans.Serialization.Serializer>(Silo);
        // A row applied: one stored row, the person's, not the shard.
        var applied = PersonId.New("61");
        await ApplyAsync(Row(applied, "Rangée" + Letters(), "200035418"));
        var stored = await rows.ReadAsync(ListShardId(Topology.ListShardOf(applied)), "waitingList");
        Assert.Equal(applied, serializer.Deserialize<WaitingListShardRow>(stored.Rows["p:" + applied.Value])!.Entry?.Person);

        // A shard of département 45 as the first shape stored it, whole: read through the grain, then kept as rows.
        var id = PersonId.New("45");
        var key = Topology.ListShardOf(id);
        var name = "Ancienne" + Letters();
        var legacy = new WaitingListShardState { Shard = WaitingListShard.Create(DepartmentTopology.IndexOfShardKey(key, "-l"), Topology.ShardCount()).Apply(Row(id, name, "200035418")) };
        var storage = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(Silo, StorageNames.Main);
        await storage.WriteStateAsync("waitingList", ListShardId(key), new GrainState<WaitingListShardState>(legacy));

        Assert.Contains(id.Value, await FindAsync(Referent with { Department = "45" }, id, name));
        var moved = await rows.ReadAsync(ListShardId(key), "waitingList");
        Assert.Equal(["p:" + id.Value], moved.Rows.Keys);
        var after = new GrainState<WaitingListShardState>(new WaitingListShardState());
        await storage.ReadStateAsync("waitingList", ListShardId(key), after);
        Assert.False(after.RecordExists);
    }

    [Fact]
    public async Task A_row_is_found_by_a_misspelled_name_and_a_newer_row_replaces_it_in_the_index()
    {
        var id = PersonId.New("61");
        var name = "Zorglub" + Letters();
        await ApplyAsync(Row(id, name, "200035418"));
        Assert.Contains(id.Value, await FindAsync(Referent, id, $"{name[..^2]}{name[^1]}{name[^2]} kylian"));
        await ApplyAsync(Row(id, "Renommé", "200035418", version: 2));
        Assert.DoesNotContain(id.Value, await FindAsync(Referent, id, name));
        Assert.Contains(id.Value, await FindAsync(Referent, id, "renomme kylian"));
        await ApplyAsync(Row(id, name, "200035418", version: 1)); // late and older: ignored
        Assert.DoesNotContain(id.Value, await FindAsync(Referent, id, name));
    }

    [Fact]
    public async Task A_territorial_staff_reads_their_territory_only_and_is_refused_another()
    {
        var inside = PersonId.New("61");
        var outside = PersonId.New("61");
        var name = "Territo" + Letters();
        await ApplyAsync(Row(inside, name, "200035418"));
        await ApplyAsync(Row(outside, name, "246100663"));
        Assert.Contains(inside.Value, await FindAsync(StaffT1, inside, name));
        Assert.DoesNotContain(outside.Value, await FindAsync(StaffT1, outside, name));
        Assert.Contains(outside.Value, await FindAsync(Referent, outside, name));
        using (CallerContext.As(StaffT1))
        {
            var error = await Assert.ThrowsAsync<DomainException>(() =>
                ShardOf(outside).PageAsync(new WaitingListFilter { Territory = "246100663" }, WaitingListOrder.Name, null, null, 10));
            Assert.Equal("FORBIDDEN", error.Code);
        }
    }

    [Fact]
    public async Task Observatory_and_directors_may_not_read_the_list_with_names()
    {
        var id = PersonId.New("61");
        foreach (var caller in new[] { Observatory, Director })
        {
            using (CallerContext.As(caller))
            {
                var error = await Assert.ThrowsAsync<DomainException>(() => ShardOf(id).PageAsync(WaitingListFilter.All, WaitingListOrder.Name, null, null, 10));
                Assert.Equal("FORBIDDEN", error.Code);
            }
        }
        using (CallerContext.As(Referent))
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => ShardOf(id).ApplyAsync(Row(id, "Intrus", "200035418")));
            Assert.Equal("FORBIDDEN", error.Code);
        }
    }

    [Fact]
    public async Task A_director_gets_the_worklist_items_of_their_esms_only()
    {
        var id = PersonId.New("61");
        var ours = new WorklistItem(WorklistItemKind.OfferOverdue, WorklistUrgency.Late, id, Ime, CandidatureId.Parse($"C-{id.Value}"), new DateOnly(2026, 11, 1), "Place proposée : délai expiré.");
        var theirs = ours with { Esms = FinessNumber.Parse("610000093"), Candidature = CandidatureId.Parse($"C2-{id.Value}") };
        var noEsms = ours with { Kind = WorklistItemKind.NoNews, Esms = null, Candidature = null };
        await ApplyAsync(Row(id, "Travail", "200035418", items: [ours, theirs, noEsms]));
        using (CallerContext.As(Director))
        {
            var items = (await ShardOf(id).WorklistAsync()).Where(r => r.Item.Person == id).ToList();
            Assert.Equal([ours], items.Select(r => r.Item));
            Assert.Equal("Travail", items[0].BirthName);
        }
        using (CallerContext.As(Referent))
            Assert.Equal(3, (await ShardOf(id).WorklistAsync()).Count(r => r.Item.Person == id));
        using (CallerContext.As(Observatory))
            Assert.Equal("FORBIDDEN", (await Assert.ThrowsAsync<DomainException>(() => ShardOf(id).WorklistAsync())).Code);
    }

    [Fact]
    public async Task A_bad_search_is_refused_in_french_before_any_read()
    {
        var id = PersonId.New("61");
        using (CallerContext.As(Referent))
        {
            var error = await Assert.ThrowsAsync<DomainException>(() => ShardOf(id).PageAsync(WaitingListFilter.All, WaitingListOrder.Name, "   ", null, 10));
            Assert.Equal("INVALID_SEARCH", error.Code);
        }
    }
}
