using Listes360.Domain.Candidatures;
using Listes360.Domain.Identity;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Domain.Sequential;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Persons;

/// <summary>The person's file, command by command, without a silo: the new file, its effects, and each refusal's code and message.</summary>
public sealed class PersonFileTests
{
    private static readonly PersonId Id = PersonId.Parse("61-test-person");
    private static readonly EsmsProfile Ime = Esms("183", ImeFiness);
    private static readonly EsmsProfile OtherIme = Esms("183", OtherImeFiness);
    private static readonly Caller Director = new("directrice", Role.EsmsDirector, [ImeFiness.Value], "61", null);

    private int _ids;

    private PersonFileContext Context(Caller? caller = null, string? key = null, params EsmsProfile?[] esms) =>
        new(Today, Now, caller, key,
            esms.Length == 0 ? null : esms.ToDictionary(e => e?.Finess ?? FinessNumber.Parse("610000499"), e => e),
            () => CandidatureId.Parse($"C-{++_ids}"));

    private PersonFile Child()
    {
        var record = Person(Today.AddYears(-10), Orientation(KindOfSupport.Ime));
        var created = PersonFile.Empty(Id).Create(record.Identity, null, null, true, Context()).File;
        return created.AddOrientation(record.Orientations[0], Context()).File;
    }

    private PersonFile WithCandidature(PersonFile file, EsmsProfile esms, string? key = null) =>
        file.CreateCandidature(esms.Finess, Modality.SemiResidential, Today.AddMonths(-1), Staff, Context(null, key, esms)).Change.File;

    private static DomainException Refused(Action command) => Assert.Throws<DomainException>(command);

    [Fact]
    public void A_person_is_created_once_with_its_projections()
    {
        var file = Child();
        Assert.Equal(2, file.Version);
        var refusal = Refused(() => file.Create(file.Record!.Identity, null, null, true, Context()));
        Assert.Equal(("PERSON_EXISTS", "La personne 61-test-person existe déjà."), (refusal.Code, refusal.Message));
        var created = PersonFile.Empty(Id).Create(file.Record!.Identity, null, null, false, Context());
        Assert.Equal(1, created.File.Version);
        Assert.Collection(created.Effects,
            e => Assert.IsType<ProjectionsOfVersion>(e),
            e => Assert.Equal((1L, Listes360.Domain.WaitingList.WaitingReason.None), (Assert.IsType<ListRowOfVersion>(e).Row.Version, ((ListRowOfVersion)e).Row.Reason)));
    }

    [Fact]
    public void An_empty_id_or_a_merged_person_refuses_every_change()
    {
        var unknown = Refused(() => PersonFile.Empty(Id).UpdateSituation(new Situation { Kind = SituationKind.InChildrenEsms, Since = Today }, null, Context()));
        Assert.Equal(("UNKNOWN_PERSON", "Aucune personne n'est enregistrée sous l'identifiant 61-test-person."), (unknown.Code, unknown.Message));
        var tombstone = Child().BecomeTombstone("61-survivor", Context()).File;
        var merged = Refused(() => tombstone.FlagUrgency(null, Context()));
        Assert.Equal(("PERSON_MERGED", "La personne 61-test-person a été fusionnée avec 61-survivor : agissez sur 61-survivor."), (merged.Code, merged.Message));
    }

    [Fact]
    public void A_situation_or_an_urgency_cannot_start_after_today()
    {
        var file = Child();
        var situation = Refused(() => file.UpdateSituation(new Situation { Kind = SituationKind.InChildrenEsms, Since = Today.AddDays(1) }, null, Context()));
        Assert.Equal("INVALID_SITUATION", situation.Code);
        Assert.Contains(Today.AddDays(1).ToString("dd/MM/yyyy"), situation.Message);
        Assert.Equal("INVALID_URGENCY", Refused(() => file.FlagUrgency(new UrgencyFlag { Source = UrgencySource.TerritorialStaff, Since = Today.AddDays(1), Reason = "x", FlaggedBy = Staff }, Context())).Code);
        var updated = file.UpdateSituation(new Situation { Kind = SituationKind.InChildrenEsms, Since = Today }, null, Context());
        Assert.Equal(file.Version + 1, updated.File.Version);
        Assert.Equal(SituationKind.InChildrenEsms, updated.File.Record!.Situation!.Kind);
    }

    [Fact]
    public void An_orientation_already_recorded_changes_nothing()
    {
        var file = Child();
        var again = file.AddOrientation(file.Record!.Orientations[0], Context());
        Assert.False(again.Changed);
        Assert.Same(file, again.File);
    }

    [Fact]
    public void A_candidature_asks_for_its_esms_then_sends_its_view_its_facts_and_the_projections_in_that_order()
    {
        var file = Child();
        var needed = Assert.Throws<EsmsProfileNeeded>(() => file.CreateCandidature(ImeFiness, Modality.SemiResidential, Today, Staff, Context()));
        Assert.Equal(ImeFiness, needed.Finess);

        var made = file.CreateCandidature(ImeFiness, Modality.SemiResidential, Today, Staff, Context(null, null, Ime));
        Assert.Equal(CandidatureStatus.Received, made.Result.Status);
        Assert.Equal(made.Result, made.Change.File.Candidatures[made.Result.Id.Value]);
        Assert.Collection(made.Change.Effects,
            e => Assert.Equal(made.Result, Assert.IsType<CandidatureToEsms>(e).Candidature),
            e => Assert.Equal(made.Result.Id, Assert.IsType<FactsToRanking>(e).Facts.CandidatureId),
            e => Assert.Equal((file.Version + 1, 1), (Assert.IsType<ProjectionsOfVersion>(e).Version, ((ProjectionsOfVersion)e).Counts.Total().Persons)),
            e => Assert.Equal([made.Result.Id], Assert.IsType<ListRowOfVersion>(e).Row.Candidatures.Select(c => c.Id)));
    }

    [Fact]
    public void A_candidature_is_refused_for_an_unknown_esms_a_future_date_or_a_second_open_one_at_the_same_esms()
    {
        var file = Child();
        var unknown = Refused(() => file.CreateCandidature(FinessNumber.Parse("610000499"), Modality.SemiResidential, Today, Staff, Context(null, null, [null])));
        Assert.Equal(("UNKNOWN_ESMS", "Aucun ESMS n'est enregistré sous le numéro FINESS 610000499."), (unknown.Code, unknown.Message));
        var future = Refused(() => file.CreateCandidature(ImeFiness, Modality.SemiResidential, Today.AddDays(1), Staff, Context(null, null, Ime)));
        Assert.Equal(RequestDates.InvalidRequestDate, future.Code);
        var once = WithCandidature(file, Ime);
        var twice = Refused(() => once.CreateCandidature(ImeFiness, Modality.SemiResidential, Today, Staff, Context(null, null, Ime)));
        Assert.Equal("DUPLICATE_CANDIDATURE", twice.Code);
        Assert.StartsWith("La personne a déjà une candidature ouverte (C-", twice.Message);
    }

    [Fact]
    public void A_director_adds_a_candidature_only_to_their_esms_for_a_person_who_applied_there()
    {
        var file = Child();
        Assert.Equal("FORBIDDEN", Refused(() => file.CreateCandidature(ImeFiness, Modality.Residential, Today, Staff, Context(Director, null, Ime))).Code);
        var applied = WithCandidature(file, Ime);
        var other = Refused(() => applied.CreateCandidature(OtherImeFiness, Modality.SemiResidential, Today, Staff, Context(Director, null, OtherIme)));
        Assert.Equal("FORBIDDEN", other.Code);
    }

    [Fact]
    public void A_retried_keyed_operation_answers_the_candidature_it_made_without_a_change()
    {
        var file = Child();
        var first = file.CreateCandidature(ImeFiness, Modality.SemiResidential, Today, Staff, Context(null, "op-1", Ime));
        var retry = first.Change.File.CreateCandidature(ImeFiness, Modality.SemiResidential, Today, Staff, Context(null, "op-1", Ime));
        Assert.False(retry.Change.Changed);
        Assert.Equal(first.Result, retry.Result);
    }

    [Fact]
    public void An_admission_ends_the_other_open_candidature_of_the_same_kind_and_both_esms_learn_it()
    {
        var file = WithCandidature(WithCandidature(Child(), Ime), OtherIme);
        var admitted = file.Candidatures.Values.Single(c => c.Finess == ImeFiness);
        foreach (var step in new[] { CandidatureStatus.UnderReview, CandidatureStatus.Waiting, CandidatureStatus.Offered })
            file = file.ChangeCandidatureStatus(admitted.Id, step, null, Staff, Context()).File;
        var change = file.ChangeCandidatureStatus(admitted.Id, CandidatureStatus.Admitted, null, Staff, Context());
        var views = change.Effects.OfType<CandidatureToEsms>().Select(e => (e.Candidature.Finess, e.Candidature.Status)).ToList();
        Assert.Contains((ImeFiness, CandidatureStatus.Admitted), views);
        Assert.Contains((OtherImeFiness, CandidatureStatus.SolutionFoundElsewhere), views);
    }

    [Fact]
    public void A_status_change_is_refused_for_a_candidature_of_another_person_or_off_the_state_machine()
    {
        var file = WithCandidature(Child(), Ime);
        var missing = Refused(() => file.ChangeCandidatureStatus(CandidatureId.Parse("C-autre"), CandidatureStatus.UnderReview, null, Staff, Context()));
        Assert.Equal(("CANDIDATURE_NOT_FOUND", "La candidature C-autre n'appartient pas à la personne 61-test-person."), (missing.Code, missing.Message));
        var id = file.Candidatures.Values.Single().Id;
        Assert.Equal("FORBIDDEN_TRANSITION", Refused(() => file.ChangeCandidatureStatus(id, CandidatureStatus.Admitted, null, Staff, Context())).Code);
    }

    [Fact]
    public void Reconcile_sends_every_candidature_again_with_one_version_more()
    {
        var file = WithCandidature(WithCandidature(Child(), Ime), OtherIme);
        var change = file.Reconcile(Context());
        Assert.Equal(file.Version + 1, change.File.Version);
        Assert.Equal(2, change.Effects.OfType<CandidatureToEsms>().Count());
        Assert.False(PersonFile.Empty(Id).Reconcile(Context()).Changed);
    }

    [Fact]
    public void A_merge_moves_the_candidatures_to_the_survivor_and_a_split_gives_them_back()
    {
        var survivor = Child();
        var merged = WithCandidature(Child() with { Id = PersonId.Parse("61-merged") }, Ime);
        var self = Refused(() => survivor.Absorb(survivor.ToMergePackage(), "doublon", Staff, Context()));
        Assert.Equal(("INVALID_MERGE", "Une personne ne peut pas être fusionnée avec elle-même."), (self.Code, self.Message));

        var absorbed = survivor.Absorb(merged.ToMergePackage() with { Record = merged.Record! with { Id = PersonId.Parse("61-merged") } }, "doublon", Staff, Context());
        var moved = Assert.Single(absorbed.Change.File.Candidatures.Values);
        Assert.Equal(Id, moved.PersonId);
        Assert.Same(absorbed.Result, absorbed.Change.File.Absorb(merged.ToMergePackage() with { Record = merged.Record! with { Id = PersonId.Parse("61-merged") } }, "doublon", Staff, Context()).Result);

        var split = absorbed.Change.File.Release("61-merged", "erreur", Staff, Context());
        Assert.Empty(split.Change.File.Candidatures);
        Assert.Equal(PersonId.Parse("61-merged"), Assert.Single(split.Result.Candidatures).PersonId);
        Assert.Contains(CandidatureToEsms.EsmsKey(moved.Id), split.Change.Withdrawn);
        var notMerged = Refused(() => split.Change.File.Release("61-merged", "erreur", Staff, Context()));
        Assert.Equal(("NOT_MERGED", "La personne 61-merged n'a pas été fusionnée avec 61-test-person."), (notMerged.Code, notMerged.Message));
    }

    [Fact]
    public void A_tombstone_keeps_no_candidature_and_withdraws_what_it_had_not_delivered()
    {
        var file = WithCandidature(Child(), Ime);
        var id = file.Candidatures.Values.Single().Id;
        var change = file.BecomeTombstone("61-survivor", Context());
        Assert.Empty(change.File.Candidatures);
        Assert.Equal([CandidatureToEsms.EsmsKey(id), FactsToRanking.RankingKey(id)], change.Withdrawn.ToArray());
        Assert.Equal(0, Assert.Single(change.Effects.OfType<ProjectionsOfVersion>()).Counts.Total().Persons);
        Assert.False(change.File.BecomeTombstone("61-survivor", Context()).Changed);
    }

    [Fact]
    public void List_rows_are_checked_in_order_on_a_copy_and_a_refused_row_says_why()
    {
        var file = Child();
        var identity = file.Record!.Identity;
        ListRowChange Row(DateOnly requested, Modality modality = Modality.SemiResidential) =>
            new(identity, false, null, null, ImeFiness, modality, requested, Staff);
        var refusals = file.CheckListRows([Row(Today.AddDays(-3)), Row(Today.AddDays(2), Modality.Residential), Row(Today.AddDays(2))], Context(null, null, Ime));
        Assert.Null(refusals[0]);
        Assert.Equal(RequestDates.InvalidRequestDate, refusals[1]!.Code);
        Assert.Null(refusals[2]); // the first row made this candidature: the third row's date is not read
        Assert.Empty(file.Candidatures);

        var applied = file.ApplyListRow(Row(Today), Context(null, null, Ime));
        Assert.Equal(new ListRowApplied(false, true, true), applied.Result);
        Assert.Equal(new ListRowApplied(false, false, false), applied.Change.File.ApplyListRow(Row(Today), Context(null, null, Ime)).Result);
    }

    [Fact]
    public void A_persons_rows_of_several_lists_are_one_change_and_a_refused_row_among_them_changes_nothing()
    {
        var file = Child();
        var identity = file.Record!.Identity;
        ListRowChange Row(FinessNumber finess, DateOnly requested, Modality modality = Modality.SemiResidential) =>
            new(identity, false, null, null, finess, modality, requested, Staff);
        var context = Context(null, null, Ime, OtherIme);
        var rows = new[] { Row(ImeFiness, Today.AddDays(-3)), Row(OtherImeFiness, Today.AddDays(2)), Row(OtherImeFiness, Today.AddDays(-1)), Row(ImeFiness, Today) };

        var together = file.ApplyListRows(rows, context);

        Assert.Equal(file.Version + 1, together.Change.File.Version);
        Assert.Equal(new ListRowApplied?[] { new(false, true, true), null, new(false, true, true), new(false, false, false) }.AsEnumerable(),
            together.Result.Select(r => r.Applied));
        Assert.Equal(RequestDates.InvalidRequestDate, together.Result[1].Refusal!.Code);
        Assert.Equal([ImeFiness.Value, OtherImeFiness.Value], together.Change.File.Candidatures.Values.Select(c => c.Finess.Value).Order().ToArray());
        // The same candidatures as the rows one commit each, with fewer effects: each ranking's facts once.
        var oneByOne = file;
        foreach (var row in rows)
        {
            try { oneByOne = oneByOne.ApplyListRow(row, context).Change.File; }
            catch (DomainException) { }
        }
        Assert.Equal(oneByOne.Candidatures.Values.Select(c => (c.Finess.Value, c.Modality, c.RequestDate)).Order(),
            together.Change.File.Candidatures.Values.Select(c => (c.Finess.Value, c.Modality, c.RequestDate)).Order());
        Assert.Equal(2, together.Change.Effects.OfType<FactsToRanking>().Count());
        Assert.Contains(ImeFiness.Value, together.Change.Audit);
        Assert.Contains(OtherImeFiness.Value, together.Change.Audit);

        var again = together.Change.File.ApplyListRows(rows, context);
        Assert.False(again.Change.Changed);
        Assert.All(again.Result.Where((_, i) => i != 1), r => Assert.False(r.Applied!.Changed));
    }

    [Fact]
    public void A_new_persons_first_applied_row_creates_them_and_a_row_before_it_refused_leaves_no_trace()
    {
        var child = Child().Record!;
        var rows = new ListRowChange[]
        {
            new(child.Identity, true, null, child.Orientations[0], ImeFiness, Modality.SemiResidential, Today.AddDays(5), Staff),
            new(child.Identity, true, null, child.Orientations[0], OtherImeFiness, Modality.SemiResidential, Today, Staff),
        };
        var created = PersonFile.Empty(Id).ApplyListRows(rows, Context(null, null, Ime, OtherIme));
        Assert.Equal(RequestDates.InvalidRequestDate, created.Result[0].Refusal?.Code);
        Assert.Equal(new ListRowApplied(true, true, true), created.Result[1].Applied);
        Assert.True(created.Change.File.Simulated);
        Assert.Equal(OtherImeFiness, Assert.Single(created.Change.File.Candidatures.Values).Finess);
    }

    [Fact]
    public void A_sequential_combination_is_refused_before_any_esms_is_asked()
    {
        var parts = new[] { new ProposalPart(ImeFiness, Modality.SemiResidential, 1), new ProposalPart(ImeFiness, Modality.SemiResidential, 2) };
        var twice = Refused(() => Child().PlanProposal("S-1", Today, parts, Staff, Context()));
        Assert.Equal(("INVALID_COMBINATION", $"L'ESMS {ImeFiness} figure deux fois dans la combinaison."), (twice.Code, twice.Message));
        var past = Refused(() => PersonFile.CheckCombination(Today.AddDays(-1), [parts[0]], Today));
        Assert.Equal("INVALID_COMBINATION", past.Code);
        Assert.Contains("est passée", past.Message);
    }

    [Fact]
    public void An_offer_that_ends_without_admission_gives_its_places_back()
    {
        var file = Child();
        var plan = file.PlanProposal("S-1", Today, [new ProposalPart(ImeFiness, Modality.SemiResidential, 1)], Staff, Context(null, null, Ime));
        var offered = Assert.Single(plan.Offered);
        Assert.Equal(CandidatureStatus.Offered, offered.Status);
        var recorded = file.RecordProposal(plan, Context()).File;
        Assert.True(recorded.SequentialProposals.ContainsKey("S-1"));

        var declined = recorded.ChangeCandidatureStatus(offered.Id, CandidatureStatus.DeclinedByPerson, CandidatureReason.GeographicDistance, Staff, Context());
        Assert.Equal(new PlacesToRelease("S-1", ImeFiness), Assert.Single(declined.Effects.OfType<PlacesToRelease>()));
        Assert.Empty(declined.File.SequentialProposals);
    }

    [Fact]
    public void Declared_needs_put_the_person_in_the_sequential_search_and_removing_them_takes_them_out()
    {
        var needs = new SequentialNeeds { Amount = 2, Unit = NeedUnit.Days, Modalities = [Modality.SemiResidential], From = Today, UpdatedBy = Staff, UpdatedAt = Now };
        var listed = Child().SetSequentialNeeds(needs, Context());
        Assert.NotNull(Assert.Single(listed.Effects.OfType<SequentialEntryOfVersion>()).Entry);
        var removed = listed.File.SetSequentialNeeds(null, Context());
        Assert.Null(Assert.Single(removed.Effects.OfType<SequentialEntryOfVersion>()).Entry);
        Assert.False(removed.File.SequentialListed);
        Assert.False(removed.File.SetSequentialNeeds(null, Context()).Changed);
    }
}
