using System.Collections.Immutable;
using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Risk.History;

namespace Listes360.Risk.Simulation;

/// <summary>Settings of a simulated cohort.</summary>
/// <param name="Seed">Same seed, same cohort (System.Random's seeded generator is stable across .NET versions).</param>
/// <param name="Persons">Persons simulated (each gives one observation a year while in scope).</param>
/// <param name="FirstYear">Simulation starts on 1 January of this year; observations from the next 1 January.</param>
/// <param name="Years">Years simulated; the last one only serves as the horizon of the previous observation.</param>
public sealed record CohortSettings(int Seed = 20260101, int Persons = 6_000, int FirstYear = 2017, int Years = 9);

/// <summary>What the simulation produced, and how it compares with the published figures it is calibrated on.</summary>
public sealed record CohortResult(IReadOnlyList<HistoryRow> Rows, IReadOnlyList<CalibrationCheck> Checks);

/// <summary>One simulated figure next to its published target (source cited in <see cref="CohortSimulator"/>).</summary>
public sealed record CalibrationCheck(string Figure, string Source, string Published, string Simulated);

/// <summary>
/// A SIMULATED cohort of person histories: no real person, no real history (none is public). Every row
/// it writes says <c>simulated=true</c>. Month by month over several years it moves persons between
/// situations with the domain's own records (PersonRecord, Orientation, Candidature through
/// <see cref="CandidatureStateMachine"/> and <see cref="AdmissionEffects"/>), and on each 1 January
/// takes the <see cref="RiskSnapshot"/> of every person in scope (<see cref="PersonRiskInput.IsInScope"/>)
/// with <see cref="RiskSnapshot.From"/> — the code the silo uses live — labelled with whether a rupture
/// followed within 12 months.
/// <para><b>Ruptures</b> (the label): becoming Creton (turning 20 in a children's ESMS without an adult
/// place); losing a solution (an ESMS ends the stay, a Creton maintenance ends, or the carer can no
/// longer care and the person goes to hospital, Belgium or successive temporary stays); staying at home
/// without solution until 36 months without solution.</para>
/// <para><b>Calibration</b> (published national figures; the simulated value is printed next to each by
/// <c>risk generate</c> and in the model report):</para>
/// <list type="bullet">
/// <item>DREES, <i>Études et Résultats</i> n° 946 (janvier 2016, T. Irace, D. Roy), ES-Handicap 2010: a little under
/// 6,000 young adults under the amendement Creton on 31 Dec 2010, 5.6 % of the users of children's
/// establishments; two thirds are aged 20 or 21; 77 % are in an IME. → the adult-admission hazards
/// of young persons are set so that about two thirds of the Creton persons are 20 or 21, and the mix of
/// children's kinds (IME 70 %, EEAP 10 %, IEM 8 %, ITEP 12 %) gives about three quarters of Creton persons in an IME.</item>
/// <item>DREES, <i>Les Dossiers de la DREES</i> n° 36 (juin 2019, M. Bessière), ES-Handicap 2014: 5,700 Creton young
/// adults at the end of 2014, 6.7 % of children's establishment users (8.2 % in IME, 10.8 % in
/// polyhandicap establishments). → polyhandicap (EEAP) youth get the highest Creton risk (lowest MAS
/// admission hazard). The cohort is made of persons on waiting lists and older youth, so its Creton share is
/// higher than the national share of all users: printed for information, not matched.</item>
/// <item>Assemblée nationale, question écrite n° 1943 (17e législature), réponse publiée le 18 mars 2025:
/// waits for a FAM or a MAS of « plusieurs années, voire parfois une dizaine d'années »; more than 6,500
/// French persons supported in Belgium for lack of a solution. → MAS/FAM admission hazards give a median
/// wait of two to three years among persons waiting; Belgium is one of the outcomes of a lost solution.</item>
/// </list>
/// <para>Not from a published figure (assumptions, stated as such): carer ages (parents 25 to 40 years
/// older than the person), carer exhaustion and loss hazards rising from 70 and 75, refusal rates, the
/// 36-month threshold for a prolonged stay at home without solution.</para>
/// </summary>
public static class CohortSimulator
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public static CohortResult Generate(CohortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Persons is < 10 or > 1_000_000 || settings.Years is < 2 or > 30)
            throw new Domain.DomainException("INVALID_COHORT", "La cohorte simulée compte de 10 à 1 000 000 personnes sur 2 à 30 ans.", "persons");
        var random = new Random(settings.Seed);
        var start = new DateOnly(settings.FirstYear, 1, 1);
        var end = start.AddYears(settings.Years);
        var rows = new List<HistoryRow>();
        var stats = new Stats();
        for (var i = 0; i < settings.Persons; i++)
        {
            var person = SimPerson.Create(i, random, start);
            rows.AddRange(person.Run(random, start, end, stats));
        }
        return new CohortResult(rows, stats.Checks(rows));
    }

    private sealed class Stats
    {
        public int CretonObserved;
        public int CretonAged20Or21;
        public int CretonFromIme;
        public int InChildrenEsmsObserved;
        public readonly List<int> MedicalisedWaits = [];

        public IReadOnlyList<CalibrationCheck> Checks(IReadOnlyList<HistoryRow> rows)
        {
            static string Pct(int a, int b) => b == 0 ? "—" : $"{100.0 * a / b:0.0} %";
            var waits = MedicalisedWaits.Order().ToList();
            return
            [
                new("Part des personnes Creton âgées de 20 ou 21 ans", "DREES, Études et Résultats n° 946 (2016)", "deux tiers (≈ 67 %)", Pct(CretonAged20Or21, CretonObserved)),
                new("Part des personnes Creton venant d'un IME", "DREES, Études et Résultats n° 946 (2016)", "77 %", Pct(CretonFromIme, CretonObserved)),
                new("Part des personnes Creton parmi les accueillis en ESMS pour enfants (observés)", "DREES, Dossiers n° 36 (2019)", "6,7 % (tous usagers ; non comparable : cohorte de personnes en liste d'attente)", Pct(CretonObserved, CretonObserved + InChildrenEsmsObserved)),
                new("Attente médiane en cours pour une MAS ou un FAM/EAM", "Assemblée nationale, QE n° 1943, réponse du 18/03/2025", "plusieurs années", waits.Count == 0 ? "—" : $"{waits[waits.Count / 2]} mois"),
                new("Part des observations suivies d'une rupture dans les 12 mois", "(étiquette de la cohorte simulée)", "—", Pct(rows.Count(r => r.Rupture), rows.Count)),
            ];
        }
    }

    /// <summary>One simulated person and their latent traits (unobserved by the model, as in life).</summary>
    private sealed class SimPerson
    {
        private static readonly KindOfSupport[] ChildKinds = [KindOfSupport.Ime, KindOfSupport.PolyhandicapChildren, KindOfSupport.Iem, KindOfSupport.Itep];
        private static readonly double[] ChildKindWeights = [0.70, 0.10, 0.08, 0.12];
        private static readonly KindOfSupport[] AdultKinds = [KindOfSupport.Mas, KindOfSupport.Fam, KindOfSupport.FoyerDeVie, KindOfSupport.Esat];
        private static readonly double[] AdultKindWeights = [0.20, 0.30, 0.35, 0.15];

        private readonly int index;
        private PersonRecord record = null!;
        private readonly List<Candidature> candidatures = [];
        private double severity;
        private double engagement;
        private double scarcity;
        private KindOfSupport childKind;
        private KindOfSupport adultKind;
        private int orientationCount;
        private int candidatureCount;
        private DateOnly? withoutSolutionSince;
        private readonly List<DateOnly> ruptures = [];

        private SimPerson(int index) => this.index = index;

        private PersonId Id => record.Id;

        public static SimPerson Create(int index, Random r, DateOnly start)
        {
            var p = new SimPerson(index)
            {
                severity = r.NextDouble(),
                engagement = r.NextDouble(),
                scarcity = 0.6 + 0.8 * r.NextDouble(),
            };
            var young = r.NextDouble() < 0.42;
            p.childKind = Pick(r, ChildKinds, ChildKindWeights);
            p.adultKind = young ? AdultTargetOf(p.childKind, p.severity) : Pick(r, AdultKinds, AdultKindWeights);
            if (!young) p.severity = p.adultKind switch { KindOfSupport.Mas => 0.7 + 0.3 * p.severity, KindOfSupport.Fam => 0.45 + 0.4 * p.severity, _ => 0.6 * p.severity };
            var age = young ? 11 + r.Next(9) : 20 + r.Next(41);
            var birth = start.AddYears(-age).AddDays(-r.Next(365));
            var identity = new PersonIdentity
            {
                BirthName = "SIMULÉ",
                FirstNames = ["Personne"],
                BirthDate = birth,
                Sex = r.NextDouble() < 0.59 ? Sex.Male : Sex.Female,
            };
            var carerAge = age + 25 + r.Next(16);
            var carer = r.NextDouble() < (young ? 0.05 : 0.15)
                ? null
                : new Carer
                {
                    Relationship = CarerRelationship.Parent,
                    BirthYear = start.Year - carerAge,
                    Status = r.NextDouble() switch { < 0.72 => CarerStatus.Available, < 0.93 => CarerStatus.Exhausted, _ => CarerStatus.Ill },
                };
            Situation situation;
            var orientations = new List<Orientation>();
            if (young)
            {
                var kind = r.NextDouble() switch { < 0.85 => SituationKind.InChildrenEsms, < 0.95 => SituationKind.AtHomeWithoutSolution, _ => SituationKind.SchoolWithPartialSupport };
                situation = new Situation { Kind = kind, Since = start.AddMonths(-r.Next(1, 60)) };
                orientations.Add(p.NewOrientation(p.childKind, start.AddMonths(-r.Next(1, 36)), birth.AddYears(20).AddDays(-1)));
            }
            else
            {
                var kind = r.NextDouble() switch
                {
                    < 0.42 => SituationKind.AtHomeWithoutSolution,
                    < 0.62 => SituationKind.InAdultEsms,
                    < 0.72 => SituationKind.InHospital,
                    < 0.77 => SituationKind.InBelgium,
                    < 0.87 => SituationKind.WorkWithPartialSupport,
                    < 0.93 => SituationKind.TemporaryStaysOnly,
                    _ => age <= 23 ? SituationKind.InChildrenEsmsUnderCreton : SituationKind.AtHomeWithoutSolution,
                };
                situation = new Situation { Kind = kind, Since = start.AddMonths(-r.Next(1, 48)) };
                var from = start.AddMonths(-r.Next(1, 48));
                orientations.Add(p.NewOrientation(p.adultKind, from, from.AddYears(5).AddDays(-1)));
            }
            p.record = new PersonRecord
            {
                Id = PersonId.Parse($"SIM-{index:D7}"),
                Identity = identity,
                Situation = situation,
                Carers = carer is null ? [] : [carer],
                Orientations = [.. orientations],
            };
            if (situation.Kind == SituationKind.AtHomeWithoutSolution) p.withoutSolutionSince = situation.Since;
            if (!young)
            {
                var n = 1 + r.Next(1 + (int)(3 * p.engagement));
                for (var c = 0; c < n; c++)
                    p.Apply(p.adultKind, start.AddMonths(-r.Next(0, 48)));
            }
            else if (situation.Kind == SituationKind.AtHomeWithoutSolution)
            {
                p.Apply(p.childKind, situation.Since);
            }
            return p;
        }

        private static KindOfSupport AdultTargetOf(KindOfSupport child, double severity) => child switch
        {
            KindOfSupport.PolyhandicapChildren => KindOfSupport.Mas,
            KindOfSupport.Iem => severity > 0.5 ? KindOfSupport.Fam : KindOfSupport.FoyerDeVie,
            KindOfSupport.Itep => severity > 0.6 ? KindOfSupport.FoyerDeVie : KindOfSupport.Esat,
            _ => severity switch { > 0.75 => KindOfSupport.Mas, > 0.5 => KindOfSupport.Fam, > 0.25 => KindOfSupport.FoyerDeVie, _ => KindOfSupport.Esat },
        };

        private static T Pick<T>(Random r, T[] items, double[] weights)
        {
            var x = r.NextDouble();
            for (var i = 0; i < items.Length; i++)
            {
                x -= weights[i];
                if (x < 0) return items[i];
            }
            return items[^1];
        }

        private Orientation NewOrientation(KindOfSupport kind, DateOnly from, DateOnly to) =>
            Orientation.Create($"SIM-{index}-{++orientationCount}", kind, from, to < from ? from : to);

        private static DateTimeOffset At(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        private void Apply(KindOfSupport kind, DateOnly on)
        {
            var finess = FinessNumber.WithKey($"6199{(int)kind:D2}{(index + candidatureCount) % 40:D2}");
            var c = Candidature.Create(CandidatureId.Parse($"SIM-{index}-C{++candidatureCount}"), Id, finess, Modality.Residential, kind, on, At(on), Actors.System);
            c = CandidatureStateMachine.Transition(c, CandidatureStatus.UnderReview, null, At(on), Actors.System);
            c = CandidatureStateMachine.Transition(c, CandidatureStatus.Waiting, null, At(on), Actors.System);
            candidatures.Add(c);
        }

        private void Replace(Candidature c)
        {
            var i = candidatures.FindIndex(x => x.Id == c.Id);
            candidatures[i] = c;
        }

        private void MoveTo(SituationKind kind, DateOnly on, bool rupture)
        {
            record = record with { Situation = new Situation { Kind = kind, Since = on } };
            withoutSolutionSince = kind == SituationKind.AtHomeWithoutSolution ? withoutSolutionSince ?? on : null;
            if (rupture) ruptures.Add(on);
        }

        public IEnumerable<HistoryRow> Run(Random r, DateOnly start, DateOnly end, Stats stats)
        {
            var observations = new List<(DateOnly On, RiskSnapshot Snapshot)>();
            for (var month = start; month < end; month = month.AddMonths(1))
            {
                if (month.Month == 1 && month > start && month.AddYears(1) <= end)
                {
                    var input = RiskProjection.InputOf(record, candidatures, null, month);
                    if (input.IsInScope)
                    {
                        observations.Add((month, input.Snapshot));
                        Observe(input, month, stats);
                    }
                }
                Step(r, month);
            }
            return observations.Select(o => new HistoryRow(true, Id.Value, o.On, o.Snapshot,
                ruptures.Any(d => d > o.On && d <= o.On.AddYears(1))));
        }

        private void Observe(PersonRiskInput input, DateOnly on, Stats stats)
        {
            if (input.Snapshot.Situation == SituationKind.InChildrenEsmsUnderCreton)
            {
                stats.CretonObserved++;
                if (input.Snapshot.AgeYears is 20 or 21) stats.CretonAged20Or21++;
                if (childKind == KindOfSupport.Ime) stats.CretonFromIme++;
            }
            if (input.Snapshot.Situation == SituationKind.InChildrenEsms) stats.InChildrenEsmsObserved++;
            foreach (var w in input.Waiting.Where(w => RiskSnapshot.IsMedicalised(w.Kind)))
                stats.MedicalisedWaits.Add(RiskSnapshot.MonthsBetween(w.Since, on));
        }

        /// <summary>One month of life, on the first of the month.</summary>
        private void Step(Random r, DateOnly d)
        {
            var age = record.Identity.AgeOn(d);
            var situation = record.Situation!.Kind;
            var at = At(d);

            // Orientations: adult orientation from 17, sooner for engaged families; renewals, sometimes late.
            var valid = record.OrientationsValidOn(d).ToList();
            var adultValid = valid.Any(o => o.Kind.Info().Audience == Audience.Adults);
            if (age >= 17 && !adultValid && r.NextDouble() < (age >= 20 ? 0.08 : 0.03 + 0.07 * engagement))
                record = record with { Orientations = record.Orientations.Add(NewOrientation(adultKind, d, d.AddYears(5).AddDays(-1))) };
            foreach (var o in record.Orientations.Where(o => o.ValidTo is { } to && to.AddDays(1) == d && o.Kind.Info().Audience == Audience.Adults).ToList())
            {
                if (r.NextDouble() < 0.75)
                    record = record with { Orientations = record.Orientations.Add(NewOrientation(o.Kind, d, d.AddYears(5).AddDays(-1))) };
            }
            foreach (var c in OrientationExpiry.Apply(record, candidatures, d, at)) Replace(c);

            // Candidatures towards adult ESMS once oriented.
            adultValid = record.OrientationsValidOn(d).Any(o => o.Kind.Info().Audience == Audience.Adults);
            var openAdult = candidatures.Count(c => c.IsOpen && c.Kind.Info().Audience == Audience.Adults);
            if (adultValid && situation != SituationKind.InAdultEsms && openAdult < 1 + (int)(3 * engagement) && r.NextDouble() < 0.1 + 0.2 * engagement)
                Apply(adultKind, d);

            // Refusals: more frequent for heavier needs (technical platform, resources).
            foreach (var c in candidatures.Where(c => c.IsOpen).ToList())
            {
                if (r.NextDouble() < 0.004 + 0.012 * severity)
                {
                    var reason = severity > 0.6 ? CandidatureReason.TechnicalPlatformUnsuited : r.NextDouble() < 0.5 ? CandidatureReason.InsufficientResources : CandidatureReason.LifeProjectMismatch;
                    Replace(CandidatureStateMachine.Transition(c, CandidatureStatus.RefusedByEsms, reason, at, Actors.System));
                }
            }

            // Admissions.
            var open = candidatures.Where(c => c.IsOpen && !c.WaitingForPreferred).ToList();
            foreach (var c in open)
            {
                var adult = c.Kind.Info().Audience == Audience.Adults;
                if (adult && age < 18) continue;
                if (!adult && age >= 20) continue;
                var h = c.Kind switch
                {
                    KindOfSupport.Esat => 0.030,
                    KindOfSupport.FoyerDeVie => 0.016,
                    KindOfSupport.Fam => 0.012,
                    KindOfSupport.Mas => 0.010,
                    _ => 0.030,
                } * (1.3 - 0.6 * severity) / scarcity * (situation == SituationKind.AtHomeWithoutSolution ? 1.4 : 1.0);
                if (r.NextDouble() >= h) continue;
                var offered = CandidatureStateMachine.Transition(c, CandidatureStatus.Offered, null, at, Actors.System);
                var admitted = CandidatureStateMachine.Transition(offered, CandidatureStatus.Admitted, null, at, Actors.System);
                Replace(admitted);
                foreach (var e in AdmissionEffects.OnAdmission(candidatures, admitted, at, Actors.System)) Replace(e);
                MoveTo(adult ? SituationKind.InAdultEsms : SituationKind.InChildrenEsms, d, rupture: false);
                return;
            }

            // Carer: exhaustion and loss rise with age (assumption, see the class remarks).
            if (!record.Carers.IsDefaultOrEmpty)
            {
                var carer = record.Carers[0];
                var carerAge = carer.ApproximateAgeOn(d) ?? 50;
                var athome = situation is SituationKind.AtHomeWithoutSolution or SituationKind.TemporaryStaysOnly or SituationKind.WorkWithPartialSupport;
                var next = carer.Status switch
                {
                    CarerStatus.Available when r.NextDouble() < 0.002 + (carerAge >= 75 ? 0.010 : 0) => CarerStatus.Unavailable,
                    CarerStatus.Available when r.NextDouble() < (athome ? 0.010 : 0.003) + (carerAge >= 70 ? 0.015 : 0) + 0.008 * severity => CarerStatus.Exhausted,
                    CarerStatus.Exhausted or CarerStatus.Ill when r.NextDouble() < (athome ? 0.025 : 0.008) + (carerAge >= 75 ? 0.025 : 0) => CarerStatus.Unavailable,
                    CarerStatus.Exhausted or CarerStatus.Ill when r.NextDouble() < 0.02 => CarerStatus.Available,
                    var s => s,
                };
                if (next != carer.Status)
                {
                    record = record with { Carers = [carer with { Status = next, StatusSince = d }] };
                    if (next == CarerStatus.Unavailable && athome)
                    {
                        MoveTo(r.NextDouble() switch { < 0.4 => SituationKind.InHospital, < 0.6 => SituationKind.InBelgium, _ => SituationKind.TemporaryStaysOnly }, d, rupture: true);
                        return;
                    }
                }
            }

            switch (situation)
            {
                case SituationKind.InChildrenEsms when age >= 20:
                    MoveTo(SituationKind.InChildrenEsmsUnderCreton, d, rupture: true);
                    break;
                case SituationKind.InChildrenEsmsUnderCreton when r.NextDouble() < 0.006 + 0.004 * Math.Max(0, age - 21):
                    MoveTo(SituationKind.AtHomeWithoutSolution, d, rupture: true);
                    break;
                case SituationKind.InAdultEsms when r.NextDouble() < 0.002 + 0.004 * severity:
                    MoveTo(SituationKind.AtHomeWithoutSolution, d, rupture: true);
                    break;
                case SituationKind.WorkWithPartialSupport when r.NextDouble() < 0.004:
                    MoveTo(SituationKind.AtHomeWithoutSolution, d, rupture: true);
                    break;
                case SituationKind.InHospital when r.NextDouble() < 0.03:
                    MoveTo(SituationKind.TemporaryStaysOnly, d, rupture: false);
                    break;
                case SituationKind.AtHomeWithoutSolution when record.Carers.IsDefaultOrEmpty && r.NextDouble() < 0.02:
                    MoveTo(SituationKind.InHospital, d, rupture: true);
                    break;
                case SituationKind.AtHomeWithoutSolution when withoutSolutionSince is { } since && RiskSnapshot.MonthsBetween(since, d) == 36:
                    ruptures.Add(d);
                    break;
            }
        }
    }
}
