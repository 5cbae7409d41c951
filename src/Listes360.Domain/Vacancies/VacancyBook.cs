using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Grid;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Vacancies;

/// <summary>An admission of a person of this ESMS in another ESMS, as the person's file reports it (no names).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.AdmissionElsewhere")]
public sealed record AdmissionElsewhere(
    [property: Id(0)] FinessNumber LeftFiness,
    [property: Id(1)] CandidatureId AdmittedCandidature,
    [property: Id(2)] FinessNumber AdmittingFiness,
    [property: Id(3)] DateOnly On,
    /// <summary>The modality of the person's admitted candidature at the ESMS left, when the file has one.</summary>
    [property: Id(4)] Modality? LeftModality);

/// <summary>The vacancy an admission filled, as the admitting ESMS's book knows it (for the chain).</summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.FilledVacancy")]
public sealed record FilledVacancy(
    [property: Id(0)] string Id,
    [property: Id(1)] DateOnly OpenedOn,
    [property: Id(2)] ChainLink? Chain);

/// <summary>The result of a command of <see cref="VacancyBook"/>: the book after it, the vacancies that changed, a French line.</summary>
public sealed record VacancyChange(VacancyBook Book, ImmutableArray<Vacancy> Changed, string Audit)
{
    public bool IsEmpty => Changed.IsEmpty;

    public static VacancyChange None(VacancyBook book) => new(book, [], "");
}

/// <summary>
/// The vacancies of one ESMS: the aggregate a vacancy grain holds. Pure functions: a command and the book
/// in, the new book and the changed vacancies out, or a <see cref="DomainException"/> with its code and
/// French message and nothing changed. Bounded: every open vacancy, and the last
/// <see cref="ClosedKept"/> closed ones (their summaries live on in the département's chains).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Vacancies.VacancyBook")]
public sealed record VacancyBook
{
    public const int ClosedKept = 100;
    public const int MaxOpen = 500;
    public const int MaxSteps = 60;
    public const int DefaultProposed = 5;
    public const int MaxProposed = 20;

    [Id(0)] public required FinessNumber Finess { get; init; }
    [Id(1)] public ImmutableList<Vacancy> Vacancies { get; init; } = [];
    [Id(2)] public int Sequence { get; init; }

    public static VacancyBook Empty(FinessNumber finess) => new() { Finess = finess };

    public Vacancy Find(string id) =>
        Vacancies.FirstOrDefault(v => v.Id == id)
        ?? throw new DomainException("VACANCY_NOT_FOUND", $"Aucune place libérée {id} n'est enregistrée pour l'ESMS {Finess} (ou elle est close depuis longtemps).", "vacancyId");

    /// <summary>
    /// A declaration of places with vacancies &gt; 0 opens as many vacancies as declared free places
    /// not already open for that modality. Fewer free places than open vacancies withdraw nothing: the
    /// director withdraws a vacancy with its reason.
    /// </summary>
    public VacancyChange OnPlacesDeclared(EsmsProfile profile, Places places, DateTimeOffset at, string by)
    {
        RequireEsms(profile);
        var open = Vacancies.Count(v => v.IsOpen && v.Modality == places.Modality);
        var toOpen = places.Vacancies - open;
        if (toOpen <= 0)
            return VacancyChange.None(this);
        var book = this;
        var opened = ImmutableArray.CreateBuilder<Vacancy>();
        for (var i = 0; i < toOpen; i++)
        {
            var id = VacancyIds.ForPlaces(Finess, places.Modality, book.Sequence + 1);
            var vacancy = New(id, profile, places.Modality, places.EffectiveDate, VacancyOrigin.PlacesDeclared, null, null, at, by,
                $"Place libérée en {places.Modality.Label().ToLowerInvariant()} : {places.Vacancies} place(s) déclarée(s) vacante(s) au {places.EffectiveDate:dd/MM/yyyy}.");
            book = book.Add(vacancy) with { Sequence = book.Sequence + 1 };
            opened.Add(vacancy);
        }
        return new(book, opened.ToImmutable(), $"{toOpen} place(s) libérée(s) ouverte(s) à l'ESMS {Finess} ({places.Modality.Label().ToLowerInvariant()}).");
    }

    /// <summary>A person left the ESMS (with its reason): one vacancy for that modality, dated the day of the exit.</summary>
    public VacancyChange RecordExit(EsmsProfile profile, Modality modality, ExitReason reason, DateOnly on, DateOnly today, DateTimeOffset at, string by)
    {
        RequireEsms(profile);
        if (!Enum.IsDefined(reason))
            throw new DomainException("INVALID_EXIT_REASON", $"Motif de sortie inconnu ({(int)reason}).", "reason");
        if (!profile.Modalities.Contains(modality))
            throw new DomainException("MODALITY_NOT_OFFERED",
                $"L'ESMS {Finess} ne propose pas la modalité « {modality.Label()} » : aucune place de cette modalité ne peut se libérer.", "modality");
        FieldRules.PastDate(on, today, "date", "la date de sortie");
        var vacancy = New(VacancyIds.ForExit(Finess, modality, Sequence + 1), profile, modality, on, VacancyOrigin.Exit, reason, null, at, by,
            $"Place libérée en {modality.Label().ToLowerInvariant()} par une sortie le {on:dd/MM/yyyy} (motif : {reason.Label().ToLowerInvariant()}).");
        return new((Add(vacancy)) with { Sequence = Sequence + 1 }, [vacancy], $"Sortie enregistrée à l'ESMS {Finess} : {vacancy.Id} ouverte.");
    }

    /// <summary>
    /// A person of this ESMS was admitted elsewhere: the place they leave is a vacancy linked to the one
    /// the admission filled (<paramref name="previous"/>, null when the admission went through no vacancy:
    /// this one starts a chain). The same admission delivered twice opens one vacancy.
    /// </summary>
    public VacancyChange OnAdmissionElsewhere(EsmsProfile profile, AdmissionElsewhere exit, FilledVacancy? previous, DateTimeOffset at)
    {
        RequireEsms(profile);
        if (exit.LeftFiness != Finess || exit.AdmittingFiness == Finess)
            throw new DomainException("INVALID_EXIT", $"L'admission {exit.AdmittedCandidature} ne libère pas de place à l'ESMS {Finess}.", "finess");
        var id = VacancyIds.ForAdmissionElsewhere(Finess, exit.AdmittedCandidature);
        if (Vacancies.Any(v => v.Id == id))
            return VacancyChange.None(this);
        var modality = exit.LeftModality is { } m && profile.Modalities.Contains(m)
            ? m
            : profile.Modalities.Where(x => x.IsLasting()).Order().FirstOrDefault(profile.Modalities.Order().First());
        var chain = new ChainLink
        {
            AdmittedCandidature = exit.AdmittedCandidature,
            AdmittingFiness = exit.AdmittingFiness,
            PreviousVacancy = previous?.Id,
            Root = previous is null ? id : previous.Chain?.Root ?? previous.Id,
            Index = previous is null ? 1 : (previous.Chain?.Index ?? 1) + 1,
            RootOpenedOn = previous is null ? exit.On : previous.Chain?.RootOpenedOn ?? previous.OpenedOn,
        };
        var vacancy = New(id, profile, modality, exit.On, VacancyOrigin.AdmissionElsewhere, ExitReason.AdmittedElsewhere, chain, at, Actors.System,
            $"Place libérée en {modality.Label().ToLowerInvariant()} : une personne accueillie est admise à l'ESMS {exit.AdmittingFiness} le {exit.On:dd/MM/yyyy}"
            + (previous is null ? " (début d'une chaîne)." : $" par la place libérée {previous.Id} (maillon {chain.Index} de la chaîne {chain.Root})."));
        return new(Add(vacancy), [vacancy], $"Chaîne : {vacancy.Id} ouverte à l'ESMS {Finess}.");
    }

    /// <summary>
    /// Proposes the top <paramref name="count"/> candidates of the ranking in force: the ranked candidatures
    /// WAITING (the OFFERED transition starts there), not yet offered this vacancy, in ranking order, those
    /// with an urgency or under the amendement Creton first when the grid says so (<see cref="OfferRules.PriorityFirst"/>).
    /// Ranked candidates left out are counted in the proposal's notices.
    /// </summary>
    public VacancyChange Propose(string id, RankingResult ranking, CriteriaGrid grid, int count, DateOnly today, DateTimeOffset at, string by)
    {
        var vacancy = Find(id);
        if (!vacancy.IsOpen)
            throw Closed(vacancy);
        if (vacancy.PendingOffer is { } pending)
            throw new DomainException("OFFER_PENDING",
                $"La {vacancy.Label} est proposée à la candidature {pending.CandidatureId} (réponse attendue au plus tard le {pending.Deadline:dd/MM/yyyy}) : enregistrez sa réponse avant de renouveler les propositions.", "vacancyId");
        if (count is < 1 or > MaxProposed)
            throw new DomainException("INVALID_COUNT", $"Le nombre de candidats proposés doit être compris entre 1 et {MaxProposed} (reçu : {count}).", "count");
        if (ranking.Finess != vacancy.Finess || ranking.Modality != vacancy.Modality || ranking.GridVersion != grid.Version)
            throw new DomainException("RANKING_MISMATCH", $"Le classement fourni ne correspond pas à la {vacancy.Label} ou à la grille v{grid.Version}.", "ranking");
        var facts = grid.Criteria.ToDictionary(c => c.Id, c => c.Fact, StringComparer.Ordinal);
        bool Has(RankedCandidate e, GridFact fact) => e.Score.Lines.Any(l => l.Points > 0 && facts.GetValueOrDefault(l.CriterionId) == fact);
        var offered = vacancy.Offers.Select(o => o.CandidatureId).ToHashSet();
        var waiting = ranking.Entries.Where(e => e.Status == CandidatureStatus.Waiting && !offered.Contains(e.CandidatureId)).ToList();
        var ordered = grid.Offers.PriorityFirst
            ? waiting.OrderBy(e => Has(e, GridFact.Urgency) || Has(e, GridFact.Creton) ? 0 : 1).ThenBy(e => e.Position).ToList()
            : waiting;
        var chosen = ordered.Take(count).Select((e, i) => new ProposedCandidate
        {
            Order = i + 1,
            Rank = e.Position,
            CandidatureId = e.CandidatureId,
            PersonId = e.PersonId,
            Score = e.Score,
            Urgency = Has(e, GridFact.Urgency),
            Creton = Has(e, GridFact.Creton),
            WithoutSolution = Has(e, GridFact.WithoutSolutionMonths),
        }).ToImmutableArray();
        var notices = ImmutableArray.CreateBuilder<string>();
        var notWaiting = ranking.Entries.Count(e => e.Status != CandidatureStatus.Waiting && !offered.Contains(e.CandidatureId));
        if (notWaiting > 0)
            notices.Add($"{notWaiting} candidature(s) classée(s) non proposée(s) : leur statut n'est pas « {CandidatureStatus.Waiting.Label()} » (une place ne se propose qu'à une candidature en liste d'attente).");
        if (offered.Count > 0)
            notices.Add($"{offered.Count} candidature(s) déjà sollicitée(s) pour cette place ne sont plus proposées.");
        if (ranking.Excluded.Length > 0)
            notices.Add($"{ranking.Excluded.Length} candidature(s) ouverte(s) hors classement (inéligibles ce jour, motifs dans le classement).");
        if (grid.Offers.PriorityFirst)
            notices.Add($"La grille v{grid.Version} place en premier les personnes en urgence ou au titre de l'amendement Creton, puis l'ordre du classement.");
        if (chosen.IsEmpty)
            notices.Add("Aucun candidat proposable : la place reste ouverte ; l'équipe territoriale peut orienter des candidatures vers cet ESMS.");
        var proposal = new VacancyProposal { On = today, GridVersion = grid.Version, Candidates = chosen, Notices = notices.ToImmutable(), PriorityFirst = grid.Offers.PriorityFirst };
        var next = Step(vacancy with { Proposal = proposal }, at, by, "PROPOSED",
            $"{chosen.Length} candidat(s) proposé(s) d'après le classement harmonisé du {today:dd/MM/yyyy} (grille v{grid.Version}).");
        return Replace(next, $"{next.Label} : {chosen.Length} candidat(s) proposé(s).");
    }

    /// <summary>
    /// Records the offer of the vacancy to one proposed candidate (the candidature then moves to OFFERED, with the
    /// grid's answer deadline). Refused when the vacancy is closed or already offered, or the candidature is not
    /// proposed, or already offered this vacancy, or pending on another vacancy of the ESMS.
    /// </summary>
    public VacancyChange Offer(string id, CandidatureId candidature, CriteriaGrid grid, DateOnly today, DateTimeOffset at, string by)
    {
        var vacancy = Find(id);
        if (!vacancy.IsOpen)
            throw Closed(vacancy);
        if (vacancy.PendingOffer is { } pending)
            throw new DomainException("OFFER_PENDING",
                $"La {vacancy.Label} est déjà proposée à la candidature {pending.CandidatureId} : enregistrez sa réponse (admission, refus) ou l'expiration du délai ({pending.Deadline:dd/MM/yyyy}) avant de la proposer à un autre candidat.", "vacancyId");
        if (vacancy.Offers.FirstOrDefault(o => o.CandidatureId == candidature) is { } earlier)
            throw new DomainException("ALREADY_OFFERED",
                $"La candidature {candidature} a déjà été sollicitée pour la {vacancy.Label} le {earlier.OfferedOn:dd/MM/yyyy} ({earlier.Outcome.Label().ToLowerInvariant()}).", "candidatureId");
        var proposed = vacancy.Proposal?.Candidates.FirstOrDefault(c => c.CandidatureId == candidature)
            ?? throw new DomainException("NOT_PROPOSED",
                $"La candidature {candidature} ne figure pas parmi les candidats proposés pour la {vacancy.Label} : une place se propose d'après le classement harmonisé.", "candidatureId");
        if (Vacancies.FirstOrDefault(v => v.Id != id && v.PendingOffer?.CandidatureId == candidature) is { } other)
            throw new DomainException("OFFER_PENDING_ELSEWHERE",
                $"La candidature {candidature} attend déjà une réponse pour la place libérée {other.Id}.", "candidatureId");
        var offer = new VacancyOffer
        {
            CandidatureId = candidature,
            PersonId = proposed.PersonId,
            Order = proposed.Order,
            Rank = proposed.Rank,
            OfferedOn = today,
            OfferedAt = at,
            Deadline = OfferDeadline.Of(today, grid.Offers.AnswerDeadlineDays),
            Outcome = OfferOutcome.Pending,
            OfferedBy = by,
        };
        var skipped = vacancy.NotYetOffered.TakeWhile(c => c.CandidatureId != candidature).Count();
        var next = Step(vacancy with { Status = VacancyStatus.Offered, Offers = vacancy.Offers.Add(offer) }, at, by, "OFFERED",
            $"Place proposée à la candidature {candidature} (proposé·e n° {proposed.Order}, rang {proposed.Rank} du classement) ; réponse attendue au plus tard le {offer.Deadline:dd/MM/yyyy} (grille v{grid.Version})."
            + (skipped > 0 ? $" {skipped} candidat(s) mieux placé(s) non encore sollicité(s) : le choix est enregistré." : ""));
        return Replace(next, $"{next.Label} proposée à {candidature}.");
    }

    /// <summary>The candidature could not move to OFFERED: the offer just recorded is taken back (nothing else changes).</summary>
    public VacancyChange CancelOffer(string id, CandidatureId candidature, DateTimeOffset at, string by)
    {
        var vacancy = Find(id);
        if (vacancy.PendingOffer is not { } pending || pending.CandidatureId != candidature)
            return VacancyChange.None(this);
        var next = Step(vacancy with { Status = VacancyStatus.Open, Offers = vacancy.Offers.Remove(pending) }, at, by, "OFFER_CANCELLED",
            $"Proposition à la candidature {candidature} annulée : la candidature n'a pas pu passer au statut « {CandidatureStatus.Offered.Label()} ».");
        return Replace(next, $"{next.Label} : proposition annulée.");
    }

    /// <summary>
    /// Follows a change of a candidature offered one of these vacancies (the person's file is the truth):
    /// ADMITTED fills the vacancy; DECLINED_BY_PERSON ends the offer, counted as a refused suitable offer when
    /// the grid's rule names its reason (said either way); back to WAITING ends it as expired (past the
    /// deadline) or ended; any other closing ends it. The vacancy is open again for the next candidate.
    /// A change older than the offer, or of a candidature with no pending offer here, changes nothing.
    /// </summary>
    public VacancyChange Follow(CandidatureId candidature, CandidatureStatus status, CandidatureReason? reason, DateTimeOffset changedAt,
        OfferRules? rules, int gridVersion, DateOnly today, DateTimeOffset at)
    {
        if (status != CandidatureStatus.Admitted
            && Vacancies.FirstOrDefault(v => v.Status == VacancyStatus.Filled && v.FilledBy == candidature) is { } filled)
            return Reopen(filled, candidature, status, reason, changedAt, at);
        var vacancy = Vacancies.FirstOrDefault(v => v.PendingOffer?.CandidatureId == candidature);
        if (vacancy?.PendingOffer is not { } offer || changedAt < offer.OfferedAt || status == CandidatureStatus.Offered)
            return VacancyChange.None(this);
        var on = Time.ParisDate.Of(changedAt);
        Vacancy next;
        switch (status)
        {
            case CandidatureStatus.Admitted:
                next = Step(vacancy with
                {
                    Status = VacancyStatus.Filled,
                    ClosedOn = on,
                    FilledBy = candidature,
                    Offers = vacancy.Offers.Replace(offer, offer with { Outcome = OfferOutcome.Admitted, EndedOn = on }),
                }, at, Actors.System, "FILLED",
                    $"Place pourvue le {on:dd/MM/yyyy} : admission de la candidature {candidature} (proposé·e n° {offer.Order}, rang {offer.Rank}).");
                break;
            case CandidatureStatus.DeclinedByPerson:
            {
                var counts = rules is not null && reason is { } r && rules.SuitableRefusalReasons.Contains(r);
                var rule = reason is not { } why
                    ? "Refus sans motif : non compté comme refus d'une offre adaptée."
                    : counts
                        ? $"Refus compté comme refus d'une offre adaptée (motif « {why.Label()} », grille v{gridVersion})."
                        : $"Refus non compté comme refus d'une offre adaptée : la grille v{gridVersion} ne compte pas le motif « {why.Label()} »"
                          + (rules is null ? " (aucune grille en vigueur)." : $" (motifs comptés : {string.Join(", ", rules.SuitableRefusalReasons.Select(x => $"« {x.Label()} »"))}).");
                next = EndOffer(vacancy, offer, OfferOutcome.Declined, reason, counts, rule, on, at, "DECLINED",
                    $"La personne décline la place (candidature {candidature}). {rule}");
                break;
            }
            case CandidatureStatus.Waiting:
            {
                var expired = today > offer.Deadline || on > offer.Deadline;
                var rule = expired
                    ? $"Délai de réponse dépassé ({offer.Deadline:dd/MM/yyyy}) : la candidature reste en liste d'attente ; non compté comme refus (la grille ne déduit aucun refus d'un délai expiré)."
                    : "Offre non poursuivie avant le délai : la candidature reste en liste d'attente ; non compté comme refus.";
                next = EndOffer(vacancy, offer, expired ? OfferOutcome.Expired : OfferOutcome.Ended, reason, false, rule, on, at,
                    expired ? "EXPIRED" : "OFFER_ENDED", $"Candidature {candidature} : {rule}");
                break;
            }
            default:
            {
                var rule = $"La candidature est passée au statut « {status.Label()} » : offre terminée, non comptée comme refus d'une offre adaptée.";
                next = EndOffer(vacancy, offer, OfferOutcome.Ended, reason, false, rule, on, at, "OFFER_ENDED", $"Candidature {candidature} : {rule}");
                break;
            }
        }
        return Replace(next, $"{next.Label} : {next.Steps[^1].Text}");
    }

    /// <summary>
    /// The admission that filled a vacancy is undone (trial period inconclusive, entered by mistake): the vacancy
    /// opens again, the admitted offer ends (not counted as a refusal), and the candidates proposed and not yet
    /// offered are the next ones. Said in its steps; a chain link it started elsewhere stays as it is (that place was freed).
    /// </summary>
    private VacancyChange Reopen(Vacancy vacancy, CandidatureId candidature, CandidatureStatus status, CandidatureReason? reason, DateTimeOffset changedAt, DateTimeOffset at)
    {
        var on = Time.ParisDate.Of(changedAt);
        var offer = vacancy.Offers.FirstOrDefault(o => o.CandidatureId == candidature && o.Outcome == OfferOutcome.Admitted);
        var why = reason is { } r ? $" (motif « {r.Label()} »)" : "";
        var rule = $"Admission annulée le {on:dd/MM/yyyy}{why} : la candidature est passée au statut « {status.Label()} » ; non compté comme refus d'une offre adaptée.";
        var offers = offer is null ? vacancy.Offers : vacancy.Offers.Replace(offer, offer with { Outcome = OfferOutcome.Ended, EndedOn = on, Reason = reason, RuleApplied = rule });
        var next = Step(vacancy with { Status = VacancyStatus.Open, ClosedOn = null, FilledBy = null, Offers = offers }, at, Actors.System, "REOPENED",
            $"Place rouverte : l'admission de la candidature {candidature} est annulée{why}."
            + (vacancy.NotYetOffered.FirstOrDefault() is { } nextOne
                ? $" Prochain candidat proposé : candidature {nextOne.CandidatureId} (proposé·e n° {nextOne.Order})."
                : " Plus aucun candidat proposé : renouvelez les propositions."));
        return Replace(next, $"{next.Label} rouverte : admission annulée.");
    }

    /// <summary>Withdraws an open vacancy with a reason (place closed, declared by mistake…); refused while an offer awaits its answer.</summary>
    public VacancyChange Withdraw(string id, string? reason, DateTimeOffset at, string by)
    {
        var vacancy = Find(id);
        if (!vacancy.IsOpen)
            throw Closed(vacancy);
        if (vacancy.PendingOffer is { } pending)
            throw new DomainException("OFFER_PENDING",
                $"La {vacancy.Label} est proposée à la candidature {pending.CandidatureId} : enregistrez sa réponse avant de retirer la place.", "vacancyId");
        var text = FieldRules.RequiredText(reason, "reason", "le motif du retrait de la place", FieldLimits.ReasonMaxLength, "REASON_REQUIRED");
        var next = Step(vacancy with { Status = VacancyStatus.Withdrawn, ClosedOn = Time.ParisDate.Of(at), WithdrawalReason = text }, at, by, "WITHDRAWN",
            $"Place retirée : {text}");
        return Replace(next, $"{next.Label} retirée.");
    }

    /// <summary>The offers awaiting an answer past their deadline (the daily expiry pass moves them back to the waiting list).</summary>
    public IReadOnlyList<VacancyOffer> OverdueOffers(DateOnly today) =>
        [.. Vacancies.Where(v => v.IsOpen).Select(v => v.PendingOffer).OfType<VacancyOffer>().Where(o => today > o.Deadline)];

    /// <summary>Open vacancies, no offer pending, every proposed candidate already asked: the pass proposes the ranking again.</summary>
    public IReadOnlyList<Vacancy> WithoutCandidateLeft() =>
        [.. Vacancies.Where(v => v.IsOpen && v.PendingOffer is null && (v.Proposal is null || v.NotYetOffered.Count == 0))];

    /// <summary>The vacancy a candidature's admission filled here (for the chain it may start elsewhere).</summary>
    public FilledVacancy? FilledBy(CandidatureId candidature) =>
        Vacancies.FirstOrDefault(v => v.FilledBy == candidature) is { } v ? new FilledVacancy(v.Id, v.OpenedOn, v.Chain) : null;

    private static Vacancy EndOffer(Vacancy vacancy, VacancyOffer offer, OfferOutcome outcome, CandidatureReason? reason, bool counts, string rule,
        DateOnly on, DateTimeOffset at, string code, string text) =>
        Step(vacancy with
        {
            Status = VacancyStatus.Open,
            Offers = vacancy.Offers.Replace(offer, offer with { Outcome = outcome, EndedOn = on, Reason = reason, CountsAsRefusal = counts, RuleApplied = rule }),
        }, at, Actors.System, code,
            text + (vacancy.NotYetOffered.FirstOrDefault() is { } nextOne
                ? $" Prochain candidat proposé : candidature {nextOne.CandidatureId} (proposé·e n° {nextOne.Order})."
                : " Plus aucun candidat proposé : renouvelez les propositions."));

    private void RequireEsms(EsmsProfile profile)
    {
        if (profile.Finess != Finess)
            throw new DomainException("INVALID_ESMS", $"Le profil porte le FINESS {profile.Finess}, pas {Finess}.", "finess");
    }

    private Vacancy New(string id, EsmsProfile profile, Modality modality, DateOnly on, VacancyOrigin origin, ExitReason? reason, ChainLink? chain,
        DateTimeOffset at, string by, string text)
    {
        if (Vacancies.Count(v => v.IsOpen) >= MaxOpen)
            throw new DomainException("STATE_LIMIT_REACHED",
                $"L'ESMS {Finess} a déjà {MaxOpen} places libérées ouvertes : pourvoyez-en ou retirez-en avant d'en ouvrir d'autres.", "finess");
        return Step(new Vacancy
        {
            Id = id,
            Finess = Finess,
            Modality = modality,
            Kind = profile.Kind,
            Territory = profile.Territory,
            OpenedOn = on,
            Origin = origin,
            ExitReason = reason,
            Chain = chain,
            Status = VacancyStatus.Open,
        }, at, by, "OPENED", text);
    }

    private static Vacancy Step(Vacancy vacancy, DateTimeOffset at, string by, string code, string text)
    {
        var steps = vacancy.Steps.IsDefault ? [] : vacancy.Steps;
        if (steps.Length >= MaxSteps)
            steps = steps.RemoveAt(1); // the opening stays; the oldest step after it goes
        return vacancy with { Steps = steps.Add(new VacancyStep(at, by, code, text)), Version = vacancy.Version + 1 };
    }

    private VacancyBook Add(Vacancy vacancy) => (this with { Vacancies = Vacancies.Add(vacancy) }).Trim();

    private VacancyChange Replace(Vacancy next, string audit)
    {
        var index = Vacancies.FindIndex(v => v.Id == next.Id);
        return new((this with { Vacancies = Vacancies.SetItem(index, next) }).Trim(), [next], audit);
    }

    /// <summary>Every open vacancy stays; of the closed ones, the most recent <see cref="ClosedKept"/>.</summary>
    private VacancyBook Trim()
    {
        var closed = Vacancies.Where(v => !v.IsOpen).ToList();
        if (closed.Count <= ClosedKept)
            return this;
        var drop = closed.OrderBy(v => v.ClosedOn).ThenBy(v => v.Id, StringComparer.Ordinal).Take(closed.Count - ClosedKept).Select(v => v.Id).ToHashSet();
        return this with { Vacancies = Vacancies.RemoveAll(v => drop.Contains(v.Id)) };
    }

    private static DomainException Closed(Vacancy vacancy) =>
        new("VACANCY_CLOSED", $"La {vacancy.Label} est close ({vacancy.Status.Label().ToLowerInvariant()} le {vacancy.ClosedOn:dd/MM/yyyy}) : rien n'a été modifié.", "vacancyId");
}
