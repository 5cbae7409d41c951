using System.Globalization;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Territories;

namespace Listes360.Domain.Grid;

/// <summary>A fact's value for one candidate: whether it applies, its number (months, years, km, count) and the French sentence shown.</summary>
public readonly record struct FactValue(bool Applies, int Number, string Text)
{
    public static FactValue No(string text) => new(false, 0, text);
}

/// <summary>Reads the facts the grid's criteria name, on a date.</summary>
public static class FactReader
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static FactValue Read(GridFact fact, CandidateFacts f, EsmsProfile esms, OfferRules offers, DateOnly date) =>
        Read(fact, f, new Ranking.EsmsPlace(esms), offers, date);

    internal static FactValue Read(GridFact fact, CandidateFacts f, Ranking.EsmsPlace esms, OfferRules offers, DateOnly date) => fact switch
    {
        GridFact.WithoutSolutionMonths => WithoutSolution(f, date),
        GridFact.Creton => Creton(f, date),
        GridFact.Urgency => f.Urgency is { } u && u.Since <= date
            ? new FactValue(true, 1, $"urgence signalée par {u.SourceLabel} le {u.Since:dd/MM/yyyy} : {u.Reason}")
            : FactValue.No("aucune urgence signalée"),
        GridFact.CarerExhausted => CarerExhausted(f, date),
        GridFact.CarerAge => CarerAge(f, date),
        GridFact.PlacedAwayWantingBack => f.Situation is { Kind: SituationKind.InBelgium or SituationKind.OutOfDepartment } s && s.Since <= date
            ? new FactValue(true, 1, $"{(s.Kind == SituationKind.InBelgium ? "accueilli·e en Belgique" : "accueilli·e hors du département")} depuis le {s.Since:dd/MM/yyyy}, demande un retour")
            : FactValue.No("ni en Belgique ni hors du département"),
        GridFact.RequestMonths => RequestMonths(f, date),
        GridFact.DistanceKm => Distance(f, esms),
        GridFact.RefusedSuitableOffers => Refusals(f, offers, date),
        _ => throw new DomainException("UNKNOWN_FACT", $"Fait inconnu ({(int)fact}).", "fact"),
    };

    /// <summary>The facts that read the ESMS (its place); the others depend on the candidate and the date only.</summary>
    public static bool ReadsEsms(GridFact fact) => fact == GridFact.DistanceKm;

    /// <summary>Whole months from <paramref name="from"/> to <paramref name="to"/> (0 when <paramref name="to"/> is earlier).</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        if (to <= from) return 0;
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        if (from.AddMonths(months) > to) months--;
        return Math.Max(0, months);
    }

    /// <summary>The refused suitable offers on or before the date (reasons the grid lists).</summary>
    public static int SuitableRefusals(CandidateFacts f, OfferRules offers, DateOnly date) =>
        f.DeclinedOffers.IsDefault ? 0 : f.DeclinedOffers.Count(d => d.On <= date && d.Reason is { } r && offers.SuitableRefusalReasons.Contains(r));

    private static FactValue WithoutSolution(CandidateFacts f, DateOnly date)
    {
        if (f.Situation is not { Kind: SituationKind.AtHomeWithoutSolution } s || s.Since > date)
            return FactValue.No(f.Situation is { } other ? $"pas sans solution ({other.Kind.Label().ToLower(French)})" : "situation non renseignée");
        var months = MonthsBetween(s.Since, date);
        return new FactValue(true, months, months == 0 ? $"sans solution depuis le {s.Since:dd/MM/yyyy} (moins d'un mois)" : $"sans solution depuis {months} mois");
    }

    private static FactValue Creton(CandidateFacts f, DateOnly date)
    {
        var age = date < f.BirthDate ? 0 : Age.InYears(f.BirthDate, date);
        var under = f.Situation is { Kind: SituationKind.InChildrenEsms or SituationKind.InChildrenEsmsUnderCreton } && age >= 20;
        return under
            ? new FactValue(true, 1, $"maintenu·e en ESMS pour enfants au titre de l'amendement Creton ({age} ans)")
            : FactValue.No("pas concerné·e par l'amendement Creton");
    }

    private static FactValue CarerExhausted(CandidateFacts f, DateOnly date)
    {
        var carers = f.Carers.IsDefault ? [] : f.Carers;
        var hit = carers.FirstOrDefault(c => c.Status is CarerStatus.Exhausted or CarerStatus.Ill or CarerStatus.Unavailable && (c.StatusSince is not { } since || since <= date));
        if (hit is null)
            return FactValue.No(carers.IsEmpty ? "aucun aidant renseigné" : "aidant disponible");
        var what = hit.Status switch
        {
            CarerStatus.Exhausted => "aidant épuisé",
            CarerStatus.Ill => "aidant malade",
            _ => "aidant qui ne peut plus aider",
        };
        return new FactValue(true, 1, hit.StatusSince is { } s ? $"{what} (constaté le {s:dd/MM/yyyy})" : what);
    }

    private static FactValue CarerAge(CandidateFacts f, DateOnly date)
    {
        var ages = (f.Carers.IsDefault ? [] : f.Carers).Select(c => c.ApproximateAgeOn(date)).OfType<int>().ToArray();
        if (ages.Length == 0)
            return FactValue.No("âge de l'aidant non renseigné");
        var oldest = ages.Max();
        return new FactValue(true, oldest, $"aidant de {oldest} ans");
    }

    private static FactValue RequestMonths(CandidateFacts f, DateOnly date)
    {
        var months = MonthsBetween(f.RequestDate, date);
        return new FactValue(true, months, $"demande du {f.RequestDate:dd/MM/yyyy}, {months} mois d'ancienneté");
    }

    private static FactValue Distance(CandidateFacts f, Ranking.EsmsPlace esms)
    {
        if (f.ResidenceCommune is null)
            return FactValue.No("commune de résidence non renseignée : distance non calculée");
        if (CommuneCentres.Find(f.ResidenceCommune) is not { } home)
            return FactValue.No($"commune de résidence {f.ResidenceCommune} hors des communes connues : distance non calculée");
        if (esms.Point is not { } point)
            return FactValue.No($"localisation de l'ESMS {esms.Profile.Finess} inconnue : distance non calculée");
        var km = (int)Math.Round(home.Point.DistanceKmTo(point), MidpointRounding.AwayFromZero);
        return new FactValue(true, km, $"domicile à {km} km de l'ESMS ({home.Name} → {esms.Where}, à vol d'oiseau)");
    }

    private static FactValue Refusals(CandidateFacts f, OfferRules offers, DateOnly date)
    {
        var refused = SuitableRefusals(f, offers, date);
        return refused == 0
            ? FactValue.No("aucune offre adaptée refusée")
            : new FactValue(true, refused, refused == 1 ? "1 offre adaptée refusée" : $"{refused} offres adaptées refusées");
    }
}
