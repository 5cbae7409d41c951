using System.Collections.Immutable;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;

namespace Listes360.Domain.Sequential;

/// <summary>
/// Places an ESMS director declares free for sequential placements: in one modality, on some
/// half-days of the week, from a date, optionally until a date (both included).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.AvailabilityDeclaration")]
public sealed record AvailabilityDeclaration
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required Modality Modality { get; init; }
    /// <summary>The half-days of the week (<see cref="WeekSlots"/> mask).</summary>
    [Id(2)] public required int HalfDays { get; init; }
    /// <summary>Places free on each of these half-days.</summary>
    [Id(3)] public required int Places { get; init; }
    [Id(4)] public required DateOnly From { get; init; }
    [Id(5)] public DateOnly? To { get; init; }
    [Id(6)] public required string DeclaredBy { get; init; }
    [Id(7)] public required DateTimeOffset DeclaredAt { get; init; }

    public bool IsActiveOn(DateOnly date) => date >= From && (To is not { } to || date <= to);

    public bool Covers(Modality modality, int halfDay) => Modality == modality && (HalfDays & (1 << halfDay)) != 0;
}

/// <summary>
/// Places taken by a sequential proposal, from <see cref="From"/> until <see cref="Until"/>: first a
/// hold (<see cref="HoldExpiresAt"/> set) while the other ESMS of the combination are asked, then
/// committed (no expiry) once all of them said yes. A hold that was never confirmed frees its places
/// when it expires, so a proposal interrupted by a crash cannot lock a slot for ever.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.SlotReservation")]
public sealed record SlotReservation
{
    [Id(0)] public required string ProposalId { get; init; }
    [Id(1)] public required PersonId Person { get; init; }
    [Id(2)] public required Modality Modality { get; init; }
    [Id(3)] public required int HalfDays { get; init; }
    [Id(4)] public required DateOnly From { get; init; }
    /// <summary>The end of the declared availability the reservation uses (null: open-ended).</summary>
    [Id(5)] public DateOnly? Until { get; init; }
    /// <summary>Null once committed.</summary>
    [Id(6)] public DateTimeOffset? HoldExpiresAt { get; init; }

    public bool IsHold => HoldExpiresAt is not null;

    /// <summary>Whether it takes places at <paramref name="now"/> (a lapsed hold does not).</summary>
    public bool Counts(DateTimeOffset now) => HoldExpiresAt is not { } expiry || expiry > now;

    public bool IsActiveOn(DateOnly date) => date >= From && (Until is not { } until || date <= until);
}

/// <summary>
/// One ESMS's sequential availability: what its director declared and what proposals took. Pure and
/// immutable: every change returns a new value or throws a <see cref="DomainException"/> with a French
/// message, changing nothing. Free places on a half-day are the declared places minus the reservations,
/// at the worst moment of the period the declaration runs (a reservation that starts later still
/// counts), so the search and the reservation agree on what is free.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sequential.EsmsAvailability")]
public sealed record EsmsAvailability
{
    public const string Conflict = "CONFLICT";

    [Id(0)] public required FinessNumber Finess { get; init; }
    [Id(1)] public ImmutableArray<AvailabilityDeclaration> Declarations { get; init; } = [];
    [Id(2)] public ImmutableArray<SlotReservation> Reservations { get; init; } = [];

    public static EsmsAvailability Empty(FinessNumber finess) => new() { Finess = finess };

    /// <summary>
    /// Adds a declaration. Refused (<c>INVALID_AVAILABILITY</c>, <c>MODALITY_NOT_OFFERED</c>,
    /// <c>NO_CAPACITY_DECLARED</c>, <c>CAPACITY_EXCEEDED</c>) when the modality is not the ESMS's, the
    /// period or the half-days are wrong, or when on any half-day and any date the declared places
    /// would add up to more than the capacity declared for the modality.
    /// </summary>
    public EsmsAvailability Declare(AvailabilityDeclaration declaration, EsmsProfile profile, Places? places)
    {
        var d = declaration;
        var label = d.Modality.Label().ToLowerInvariant();
        if (!profile.Modalities.Contains(d.Modality))
            throw new DomainException("MODALITY_NOT_OFFERED",
                $"L'ESMS {profile.Name} ({Finess}) ne propose pas la modalité « {d.Modality.Label()} » (modalités : {string.Join(", ", profile.Modalities.Select(m => m.Label()))}).", "modality");
        if (d.HalfDays == 0 || (d.HalfDays & ~WeekSlots.FullWeek) != 0)
            throw new DomainException("INVALID_AVAILABILITY", "Indiquez au moins un jour ou une demi-journée de la semaine.", "days");
        if (!d.Modality.UsesHalfDays() && WeekSlots.FromDays(WeekSlots.WholeDays(d.HalfDays)) != d.HalfDays)
            throw new DomainException("INVALID_AVAILABILITY",
                $"En {label}, les places se déclarent par journée entière (nuit comprise), pas par demi-journée ({WeekSlots.Label(d.HalfDays)}).", "days");
        if (d.Places < 1)
            throw new DomainException("INVALID_AVAILABILITY", $"Le nombre de places disponibles doit être d'au moins 1 (reçu : {d.Places}).", "places");
        if (d.To is { } to && to < d.From)
            throw new DomainException("INVALID_AVAILABILITY",
                $"La fin de la disponibilité ({to:dd/MM/yyyy}) précède son début ({d.From:dd/MM/yyyy}).", "to");
        if (places is null)
            throw new DomainException("NO_CAPACITY_DECLARED",
                $"L'ESMS {Finess} n'a pas déclaré sa capacité en {label} : déclarez d'abord ses places (setEsmsPlaces), puis les disponibilités.", "modality");
        if (d.Places > places.Capacity)
            throw new DomainException("CAPACITY_EXCEEDED",
                $"{d.Places} place(s) disponible(s) en {label} dépasseraient la capacité déclarée de l'ESMS {Finess} ({places.Capacity}).", "places");
        if (Declarations.Any(x => x.Id == d.Id))
            throw new DomainException("INVALID_AVAILABILITY", $"La disponibilité {d.Id} existe déjà.", "id");

        var all = Declarations.Add(d);
        foreach (var h in WeekSlots.HalfDays(d.HalfDays))
        {
            var points = all.Where(x => x.Covers(d.Modality, h) && x.From >= d.From && (d.To is not { } end || x.From <= end))
                .Select(x => x.From).Append(d.From).Distinct();
            foreach (var t in points)
            {
                var total = all.Where(x => x.Covers(d.Modality, h) && x.IsActiveOn(t)).Sum(x => x.Places);
                if (total > places.Capacity)
                    throw new DomainException("CAPACITY_EXCEEDED",
                        $"Au {t:dd/MM/yyyy}, le {WeekSlots.HalfDayLabel(h)}, les disponibilités en {label} de l'ESMS {Finess} totaliseraient {total} place(s) " +
                        $"(dont {total - d.Places} déjà déclarée(s)) pour une capacité de {places.Capacity} : réduisez le nombre de places ou la période.", "places");
            }
        }
        return this with { Declarations = all };
    }

    /// <summary>
    /// Removes a declaration; refused (<c>AVAILABILITY_IN_USE</c>) while proposals use the places it
    /// gives, so that an offer made is never left without its place.
    /// </summary>
    public EsmsAvailability Withdraw(string declarationId, DateTimeOffset now)
    {
        var declaration = Declarations.FirstOrDefault(d => d.Id == declarationId)
            ?? throw new DomainException("AVAILABILITY_NOT_FOUND", $"L'ESMS {Finess} n'a pas de disponibilité {declarationId}.", "declarationId");
        var next = this with { Declarations = Declarations.Remove(declaration) };
        foreach (var r in Reservations.Where(r => r.Counts(now) && r.Modality == declaration.Modality && (r.HalfDays & declaration.HalfDays) != 0))
            foreach (var h in WeekSlots.HalfDays(r.HalfDays & declaration.HalfDays))
                if (next.MinFree(r.Modality, h, r.From, r.Until, now) < 0)
                    throw new DomainException("AVAILABILITY_IN_USE",
                        $"La disponibilité {declarationId} porte une proposition en cours ({r.ProposalId}, {WeekSlots.HalfDayLabel(h)} à partir du {r.From:dd/MM/yyyy}) : " +
                        "elle ne peut être retirée qu'une fois l'offre close.", "declarationId");
        return next;
    }

    /// <summary>Free places of a modality on one half-day of the week, for a placement starting on <paramref name="date"/>.</summary>
    public int Free(Modality modality, int halfDay, DateOnly date, DateTimeOffset now)
    {
        var active = Declarations.Where(d => d.Covers(modality, halfDay) && d.IsActiveOn(date)).ToList();
        if (active.Count == 0)
            return 0;
        return MinFree(modality, halfDay, date, WindowEnd(active), now);
    }

    /// <summary>The half-days on which at least one place of <paramref name="modality"/> is free from <paramref name="date"/>.</summary>
    public int FreeMask(Modality modality, DateOnly date, DateTimeOffset now)
    {
        var mask = 0;
        var declared = 0;
        foreach (var d in Declarations)
            if (d.Modality == modality && d.IsActiveOn(date))
                declared |= d.HalfDays;
        foreach (var h in WeekSlots.HalfDays(declared))
            if (Free(modality, h, date, now) > 0)
                mask |= 1 << h;
        // Whole days only where places are counted by day.
        return modality.UsesHalfDays() ? mask : WeekSlots.FromDays(WeekSlots.WholeDays(mask));
    }

    /// <summary>
    /// Holds one place on each of <paramref name="halfDays"/> for a proposal, until
    /// <paramref name="expiresAt"/>. Refused with <c>CONFLICT</c> when a half-day is no longer free
    /// (another proposal took it meanwhile). Holding the same proposal again changes nothing.
    /// </summary>
    public EsmsAvailability Hold(string proposalId, PersonId person, Modality modality, int halfDays, DateOnly from,
        DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (Reservations.FirstOrDefault(r => r.ProposalId == proposalId) is { } known)
        {
            if (known.Person == person && known.Modality == modality && known.HalfDays == halfDays && known.From == from)
                return this;
            throw new DomainException(Conflict, $"La proposition {proposalId} a déjà réservé d'autres créneaux à l'ESMS {Finess}.", "proposalId");
        }
        if (halfDays == 0 || (halfDays & ~WeekSlots.FullWeek) != 0)
            throw new DomainException("INVALID_COMBINATION", $"La proposition ne demande aucun créneau à l'ESMS {Finess}.", "days");
        var live = this with { Reservations = Reservations.RemoveAll(r => !r.Counts(now)) };
        DateOnly? until = null;
        foreach (var h in WeekSlots.HalfDays(halfDays))
        {
            if (live.Free(modality, h, from, now) < 1)
                throw new DomainException(Conflict,
                    $"Le créneau du {WeekSlots.HalfDayLabel(h)} en {modality.Label().ToLowerInvariant()} à l'ESMS {Finess} n'est plus libre au {from:dd/MM/yyyy} : " +
                    "une autre proposition vient de le prendre. Relancez la recherche.", "days");
            var end = WindowEnd(live.Declarations.Where(d => d.Covers(modality, h) && d.IsActiveOn(from)).ToList());
            if (end is { } e && (until is not { } u || e < u))
                until = e;
        }
        return live with
        {
            Reservations = live.Reservations.Add(new SlotReservation
            {
                ProposalId = proposalId,
                Person = person,
                Modality = modality,
                HalfDays = halfDays,
                From = from,
                Until = until,
                HoldExpiresAt = expiresAt,
            }),
        };
    }

    /// <summary>
    /// Commits a hold. A hold that lapsed is committed only if its places are still free, else
    /// <c>CONFLICT</c>; committing twice changes nothing; an unknown proposal is refused.
    /// </summary>
    public EsmsAvailability Confirm(string proposalId, DateTimeOffset now)
    {
        var hold = Reservations.FirstOrDefault(r => r.ProposalId == proposalId)
            ?? throw new DomainException(Conflict, $"La réservation de la proposition {proposalId} à l'ESMS {Finess} n'existe plus (délai dépassé ou annulée).", "proposalId");
        if (!hold.IsHold)
            return this;
        if (hold.Counts(now))
            return this with { Reservations = Reservations.Replace(hold, hold with { HoldExpiresAt = null }) };
        var again = (this with { Reservations = Reservations.Remove(hold) })
            .Hold(proposalId, hold.Person, hold.Modality, hold.HalfDays, hold.From, DateTimeOffset.MaxValue, now);
        var renewed = again.Reservations.Single(r => r.ProposalId == proposalId);
        return again with { Reservations = again.Reservations.Replace(renewed, renewed with { HoldExpiresAt = null }) };
    }

    /// <summary>Frees the places of a proposal (hold or commitment); unknown proposals change nothing.</summary>
    public EsmsAvailability Release(string proposalId) =>
        Reservations.Any(r => r.ProposalId == proposalId)
            ? this with { Reservations = Reservations.RemoveAll(r => r.ProposalId == proposalId) }
            : this;

    /// <summary>
    /// The last day until which the declared places of <paramref name="active"/> all run (null:
    /// open-ended): within it the declared places never drop below their value at the start.
    /// </summary>
    private static DateOnly? WindowEnd(IReadOnlyList<AvailabilityDeclaration> active)
    {
        DateOnly? end = null;
        foreach (var d in active)
            if (d.To is { } to && (end is not { } e || to < e))
                end = to;
        return end;
    }

    /// <summary>The fewest free places on a half-day over [from, to], checked at each date where a count changes.</summary>
    private int MinFree(Modality modality, int halfDay, DateOnly from, DateOnly? to, DateTimeOffset now)
    {
        var declarations = Declarations.Where(d => d.Covers(modality, halfDay)).ToList();
        var reservations = Reservations.Where(r => r.Counts(now) && r.Modality == modality && (r.HalfDays & (1 << halfDay)) != 0).ToList();
        bool Within(DateOnly t) => t >= from && (to is not { } end || t <= end);
        var points = new HashSet<DateOnly> { from };
        foreach (var d in declarations)
        {
            if (Within(d.From)) points.Add(d.From);
            if (d.To is { } e && e < DateOnly.MaxValue && Within(e.AddDays(1))) points.Add(e.AddDays(1));
        }
        foreach (var r in reservations)
            if (Within(r.From)) points.Add(r.From);

        var min = int.MaxValue;
        foreach (var t in points)
        {
            var free = declarations.Where(d => d.IsActiveOn(t)).Sum(d => d.Places) - reservations.Count(r => r.IsActiveOn(t));
            if (free < min) min = free;
        }
        return min;
    }
}
