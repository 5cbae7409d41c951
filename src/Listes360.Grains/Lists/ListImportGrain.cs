using Listes360.Domain;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Persons;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Lists;

public sealed class ListImportGrain(TimeProvider clock, Department.DepartmentTopology topology, Microsoft.Extensions.Logging.ILogger<ListImportGrain> logger) : Grain, IListImportGrain
{
    public async Task<IReadOnlyList<ListRowResult>> ImportAsync(IReadOnlyList<ListImportRow> rows, string source, string by)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var finess = FinessNumber.Parse(this.GetPrimaryKeyString());

        // A director must not learn from the answer whether a person was known: no outcome, no id.
        var blind = CallerContext.Current?.Role is Role.EsmsDirector;
        // The caller was checked for this ESMS; the rows are applied by the service on their behalf.
        using var acting = CallerContext.As(new Caller($"{by} (import de liste, ESMS {finess})", Role.System, [], finess.Department, null));
        var profile = await GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetProfileAsync()
            ?? throw new DomainException("UNKNOWN_ESMS", $"Aucun ESMS n'est enregistré sous le numéro FINESS {finess} : enregistrez-le (import-esms) avant d'importer sa liste.", "finess");
        return await new ListRowsImport(GrainFactory, clock, topology, logger, BulkDeliveryGrace.Of(ServiceProvider).Delay)
            .ImportAsync(finess.Department, [.. rows.Select(r => new ListRowOfEsms(r, finess, profile, source))], by, blind);
    }
}
