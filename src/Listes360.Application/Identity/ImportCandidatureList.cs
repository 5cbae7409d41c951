using Listes360.Domain;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Time;
using Listes360.Domain.Validation;
using Listes360.Imports.Lists;
using Listes360.Imports.Persons;
using Listes360.Imports.Registry;

namespace Listes360.Application.Identity;

/// <param name="Content">The text of the CSV file (separator ; or ,).</param>
public sealed record ImportCandidatureListInput(string Finess, string FileName, string Content);

public sealed record ImportCandidatureListResult(ListImportReport Report);

/// <summary>
/// Imports an ESMS's own waiting list: the file is read (rows it cannot take are reported with their
/// line), then its rows are sent in chunks to the ESMS's list import grain, which matches each row to a
/// person and creates the candidature. GraphQL gives the file's text; the command line and the demo
/// seed give a file already read (<see cref="ImportFileAsync"/>).
/// </summary>
public sealed class ImportCandidatureList(IGrainFactory grains, TimeProvider clock, NirHasher? hasher = null)
    : UseCase<ImportCandidatureListInput, ImportCandidatureListResult>
{
    protected override async Task<ImportCandidatureListResult> RunAsync(ImportCandidatureListInput input, Caller caller)
    {
        var finess = FinessNumber.Parse(input.Finess);
        var fileName = FieldRules.RequiredLine(input.FileName, "fileName", "le nom du fichier", FieldLimits.FileNameMaxLength);
        CandidatureListFile file;
        try
        {
            file = CandidatureListReader.Read(input.Content, "utf-8", fileName, hasher, ParisDate.Today(clock));
        }
        catch (PersonFileException e)
        {
            throw new DomainException(e.Code, e.Message, "content");
        }
        return await ImportFileAsync(file, finess, caller);
    }

    /// <summary>A list already read (a file on disk, the demo seed), imported as <paramref name="caller"/>.</summary>
    public async Task<ImportCandidatureListResult> ImportFileAsync(CandidatureListFile file, FinessNumber finess, Caller caller,
        Action<EsmsImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new(await new CandidatureListImporter(grains, caller).ImportAsync(file, finess, progress, cancellationToken));
}
