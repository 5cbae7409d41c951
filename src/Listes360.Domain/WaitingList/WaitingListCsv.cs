using System.Globalization;
using System.Text;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Csv;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;

namespace Listes360.Domain.WaitingList;

/// <summary>
/// The departmental list as a CSV a French spreadsheet opens as it is: UTF-8 with a byte-order mark,
/// « ; » separated, French headers, dates JJ/MM/AAAA, one line a person, every cell formula-safe
/// (<see cref="CsvCell"/>). Simulated persons (the demo seed) say so in their own column.
/// </summary>
public static class WaitingListCsv
{
    public const char Separator = ';';

    /// <summary>What a file starts with: the byte-order mark, so that Excel reads UTF-8.</summary>
    public static ReadOnlySpan<byte> Preamble => [0xEF, 0xBB, 0xBF];

    public static readonly IReadOnlyList<string> Headers =
    [
        "identifiant", "nom_de_naissance", "nom_d_usage", "prenoms", "date_de_naissance", "numero_dossier_mdph", "territoire",
        "motif_en_liste", "situation", "situation_depuis", "orientations_en_cours", "candidatures_ouvertes", "plus_ancienne_demande",
        "urgence", "indicateurs", "besoins_sequentiels", "a_faire", "donnee_simulee",
    ];

    public static string HeaderLine => CsvCell.Line(Headers, Separator);

    /// <param name="esmsName">The name of an ESMS by FINESS, when known (else the FINESS alone).</param>
    public static string Line(WaitingListEntry e, Func<FinessNumber, string?>? esmsName = null) => CsvCell.Line(
    [
        e.Person.Value,
        e.BirthName,
        e.UsageName,
        string.Join(' ', e.FirstNames.IsDefault ? [] : e.FirstNames),
        Date(e.BirthDate),
        e.MdphFileNumber,
        e.Territory,
        ReasonLabel(e.Reason),
        e.Situation?.Kind.Label(),
        e.Situation is { } s ? Date(s.Since) : null,
        string.Join(" | ", e.Orientations.Select(o => $"{o.Kind.Info().Code} jusqu'au {(o.ValidTo is { } to ? Date(to) : "sans limite")}")),
        string.Join(" | ", e.Candidatures.Select(c => $"{esmsName?.Invoke(c.Finess) ?? ""} {c.Finess.Value} ({c.Modality.Label().ToLowerInvariant()}) {c.Status.Label().ToLowerInvariant()} depuis le {Date(c.RequestDate)}".TrimStart())),
        e.OldestRequest is { } oldest ? Date(oldest) : null,
        e.Urgency is { } u ? $"{Date(u.Since)} : {u.Reason}" : null,
        string.Join(",", e.Flags.Select(f => f.Code())),
        e.SequentialNeeds is { } n ? $"{n.Amount} {(n.Unit == Sequential.NeedUnit.Days ? "jour(s)" : "demi-journée(s)")} par semaine" : null,
        string.Join(" | ", e.Worklist.Select(i => i.Why)),
        e.Simulated ? "oui" : "non",
    ], Separator);

    public static string ReasonLabel(WaitingReason reason) => reason switch
    {
        WaitingReason.OpenCandidature => "candidature ouverte",
        WaitingReason.PreferredEsmsOnly => "en attente d'un ESMS préféré (a une solution)",
        WaitingReason.OrientedWithoutCandidature => "orienté·e, sans solution, sans candidature",
        WaitingReason.None => "hors liste",
        _ => throw new DomainException("UNKNOWN_REASON", $"Motif inconnu ({(int)reason}).", "reason"),
    };

    private static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>The whole file (tests and small exports; the HTTP export streams the same lines).</summary>
    public static byte[] Write(IEnumerable<WaitingListEntry> entries, Func<FinessNumber, string?>? esmsName = null)
    {
        var text = new StringBuilder(HeaderLine).Append("\r\n");
        foreach (var e in entries) text.Append(Line(e, esmsName)).Append("\r\n");
        return [.. Preamble, .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
