using System.Text;
using Listes360.Application.WaitingList;
using Listes360.Domain;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.WaitingList;
using Microsoft.AspNetCore.Http;

namespace Listes360.Web.Conseiller;

/// <summary>
/// The departmental list's filters, order, name search and page as the address gives them (a GET form:
/// the address can be bookmarked, shared, and is the same for the page and its CSV export). Every value
/// that cannot be read gives a French error for its field; the list is then not read.
/// </summary>
public sealed class ListQuery
{
    public const int PageSize = 20;

    // The address's parameter names (French, as the user sees them in the bar).
    public const string Territory = "territoire", Kind = "type", ModalityName = "modalite", SituationName = "situation", Status = "statut",
        Flag = "indicateur", Urgent = "urgence", WithoutSolution = "sans-solution", From = "attente-depuis", To = "attente-jusqu",
        OrientationBefore = "orientation-avant", Esms = "esms", Search = "recherche", Order = "tri", Page = "page";

    public string? TerritoryValue { get; private init; }
    public List<KindOfSupport> Kinds { get; } = [];
    public List<Modality> Modalities { get; } = [];
    public List<SituationKind> Situations { get; } = [];
    public List<CandidatureStatus> Statuses { get; } = [];
    public List<RiskFlag> Flags { get; } = [];
    public bool? UrgentValue { get; private set; }
    public bool? WithoutSolutionValue { get; private set; }
    public DateOnly? FromValue { get; private set; }
    public DateOnly? ToValue { get; private set; }
    public DateOnly? OrientationBeforeValue { get; private set; }
    public string? EsmsValue { get; private set; }
    public string? SearchValue { get; private init; }
    public WaitingListOrder OrderValue { get; private set; } = WaitingListOrder.OldestRequest;
    public int PageNumber { get; private set; } = 1;

    /// <summary>The raw text of each field as typed (shown again next to its error).</summary>
    public Dictionary<string, string> Raw { get; } = [];

    /// <summary>French errors by parameter name.</summary>
    public Dictionary<string, string> Errors { get; } = [];

    public bool HasFilters => TerritoryValue is not null || Kinds.Count + Modalities.Count + Situations.Count + Statuses.Count + Flags.Count > 0
        || UrgentValue is not null || WithoutSolutionValue is not null || FromValue is not null || ToValue is not null
        || OrientationBeforeValue is not null || EsmsValue is not null;

    public static ListQuery Parse(IQueryCollection query)
    {
        string? One(string name)
        {
            var value = query[name].FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
        var q = new ListQuery { TerritoryValue = One(Territory), SearchValue = One(Search) };
        foreach (var name in new[] { Territory, From, To, OrientationBefore, Esms, Search, Urgent, WithoutSolution })
            if (One(name) is { } raw) q.Raw[name] = raw;
        q.Enums(query, Kind, q.Kinds, "type d'accompagnement");
        q.Enums(query, ModalityName, q.Modalities, "modalité");
        q.Enums(query, SituationName, q.Situations, "situation");
        q.Enums(query, Status, q.Statuses, "statut");
        q.Enums(query, Flag, q.Flags, "indicateur");
        q.UrgentValue = q.YesNo(One(Urgent), Urgent);
        q.WithoutSolutionValue = q.YesNo(One(WithoutSolution), WithoutSolution);
        q.FromValue = q.Date(One(From), From);
        q.ToValue = q.Date(One(To), To);
        q.OrientationBeforeValue = q.Date(One(OrientationBefore), OrientationBefore);
        if (q.FromValue is { } f && q.ToValue is { } t && f > t)
            q.Errors[From] = $"La période d'attente est inversée : « depuis le » ({Formats.Date(f)}) est postérieur à « jusqu'au » ({Formats.Date(t)}).";
        if (q.TerritoryValue is { } territory && (territory.Length != 9 || !territory.All(char.IsAsciiDigit)))
            q.Errors[Territory] = $"« {territory} » n'est pas un code de territoire : le code SIREN de l'EPCI compte neuf chiffres.";
        if (One(Esms) is { } esms)
        {
            if (FinessNumber.TryParse(esms, out var finess, out var error))
                q.EsmsValue = finess.Value;
            else
                q.Errors[Esms] = $"« {esms} » : {error}";
        }
        if (q.SearchValue is { Length: > 200 } s)
            q.Errors[Search] = $"La recherche compte {s.Length} caractères ; 200 au plus.";
        switch (One(Order))
        {
            case null or "attente": q.OrderValue = WaitingListOrder.OldestRequest; break;
            case "nom": q.OrderValue = WaitingListOrder.Name; break;
            case var other: q.Errors[Order] = $"Ordre de tri « {other} » inconnu : « attente » ou « nom »."; break;
        }
        if (One(Page) is { } page)
        {
            if (int.TryParse(page, out var n) && n is >= 1 and <= 10_000)
                q.PageNumber = n;
            else
                q.Errors[Page] = $"« {page} » n'est pas un numéro de page (1 à 10 000).";
        }
        return q;
    }

    private void Enums<T>(IQueryCollection query, string name, List<T> into, string what) where T : struct, Enum
    {
        foreach (var value in query[name])
        {
            if (string.IsNullOrWhiteSpace(value))
                continue;
            if (Enum.TryParse<T>(value.Trim(), ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(value.Trim()[0]))
            {
                if (!into.Contains(parsed)) into.Add(parsed);
            }
            else
                Errors[name] = $"« {value} » n'est pas une valeur de {what} connue.";
        }
        if (into.Count > 40)
            Errors[name] = $"{into.Count} valeurs de {what} : 40 au plus.";
    }

    private bool? YesNo(string? value, string name) => value switch
    {
        null => null,
        "oui" => true,
        "non" => false,
        _ => Error<bool?>(name, $"« {value} » : choisissez « oui », « non » ou rien."),
    };

    private DateOnly? Date(string? value, string name)
    {
        if (value is null)
            return null;
        if (Formats.ParseDate(value) is { } date)
            return date;
        Errors[name] = $"« {value} » n'est pas une date : écrivez-la JJ/MM/AAAA, par exemple 01/09/2025.";
        return null;
    }

    private T Error<T>(string name, string message)
    {
        Errors[name] = message;
        return default!;
    }

    public WaitingListFilterInput ToFilterInput() => new(
        TerritoryValue, Kinds, Modalities, Situations, Statuses, Flags, UrgentValue, WithoutSolutionValue, FromValue, ToValue, OrientationBeforeValue, EsmsValue);

    /// <summary>The order used: a name search always sorts by relevance.</summary>
    public WaitingListOrder EffectiveOrder => SearchValue is null ? OrderValue : WaitingListOrder.Relevance;

    public WaitingListRequest ToRequest(string department, string? after, int first) =>
        new(department, ToFilterInput().ToFilter(), EffectiveOrder, SearchValue, after, first);

    /// <summary>The address's query string (without « ? »), with <paramref name="order"/> and <paramref name="page"/> when given.</summary>
    public string ToQueryString(WaitingListOrder? order = null, int? page = null, bool withPage = true)
    {
        var parts = new List<(string, string)>();
        void Add(string name, string? value) { if (!string.IsNullOrEmpty(value)) parts.Add((name, value)); }
        Add(Territory, TerritoryValue);
        foreach (var k in Kinds) Add(Kind, k.ToString());
        foreach (var m in Modalities) Add(ModalityName, m.ToString());
        foreach (var s in Situations) Add(SituationName, s.ToString());
        foreach (var s in Statuses) Add(Status, s.ToString());
        foreach (var f in Flags) Add(Flag, f.ToString());
        Add(Urgent, UrgentValue is { } u ? (u ? "oui" : "non") : null);
        Add(WithoutSolution, WithoutSolutionValue is { } w ? (w ? "oui" : "non") : null);
        Add(From, FromValue is { } f1 ? Formats.Date(f1) : null);
        Add(To, ToValue is { } t1 ? Formats.Date(t1) : null);
        Add(OrientationBefore, OrientationBeforeValue is { } o ? Formats.Date(o) : null);
        Add(Esms, EsmsValue);
        Add(Search, SearchValue);
        var sort = order ?? OrderValue;
        if (sort == WaitingListOrder.Name) Add(Order, "nom");
        if (withPage && (page ?? PageNumber) is var p and > 1) Add(Page, p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var text = new StringBuilder();
        foreach (var (name, value) in parts)
            text.Append(text.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        return text.ToString();
    }

    /// <summary>Maps a domain refusal's field (filter.waitingSinceFrom, search…) to the address's parameter.</summary>
    public static string FieldOf(DomainException e) => e.Field switch
    {
        "search" => Search,
        "filter.waitingSinceFrom" => From,
        "filter.kinds" => Kind,
        "filter.modalities" => ModalityName,
        "filter.situations" => SituationName,
        "filter.statuses" => Status,
        "filter.flags" => Flag,
        "filter.territory" or "territory" => Territory,
        "filter.esms" or "finess" => Esms,
        _ => "",
    };
}
