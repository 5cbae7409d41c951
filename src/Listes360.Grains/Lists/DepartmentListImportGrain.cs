using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;
using Microsoft.Extensions.Logging;

namespace Listes360.Grains.Lists;

public sealed class DepartmentListImportGrain(TimeProvider clock, Department.DepartmentTopology topology, ILogger<DepartmentListImportGrain> logger)
    : Grain, IDepartmentListImportGrain
{
    /// <summary>Rows of one call: a chunk answers well within the call timeout and its report comes back as progress.</summary>
    public const int MaxRows = 2_000;

    public async Task<IReadOnlyList<ListRowResult>> ImportAsync(IReadOnlyList<DepartmentListRow> rows, string by)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > MaxRows)
            throw new DomainException("TOO_MANY_ROWS", $"{rows.Count} lignes dans un seul envoi, {MaxRows} au plus : envoyez-les en plusieurs fois. Rien n'a été importé.", "rows");
        var department = this.GetPrimaryKeyString();
        // FINESS numbers are checked before anything is read: a malformed one refuses the call, not a row.
        var finessOf = rows.Select(r => r.Finess).Distinct(StringComparer.Ordinal).ToDictionary(f => f, f => FinessNumber.Parse(f), StringComparer.Ordinal);

        // The caller was checked for this département; the rows are applied by the service on their behalf.
        using var acting = CallerContext.As(new Caller($"{by} (import des listes du département {department})", Role.System, [], department, null));
        var profiles = new Dictionary<FinessNumber, EsmsProfile?>();
        foreach (var finess in finessOf.Values.Where(f => f.Department == department))
            profiles[finess] = await GrainFactory.GetGrain<IEsmsGrain>(finess.Value).GetProfileAsync();
        return await new ListRowsImport(GrainFactory, clock, topology, logger).ImportAsync(department,
            [.. rows.Select(r => new ListRowOfEsms(r.Row, finessOf[r.Finess], profiles.GetValueOrDefault(finessOf[r.Finess]), r.Source))], by, blind: false);
    }
}
