using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Validation;

namespace Listes360.Domain.Tests.Validation;

public sealed class FieldRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static PersonIdentity Person(string birthName = "Martin", IEnumerable<string>? firstNames = null, string? usageName = null,
        string? mdph = null, DateOnly? birth = null) =>
        PersonIdentity.Create(birthName, firstNames ?? ["Luc"], birth ?? new DateOnly(1990, 5, 4), Sex.Male, Today, usageName, mdphFileNumber: mdph);

    [Theory]
    [InlineData(FieldLimits.NameMaxLength, true)]
    [InlineData(FieldLimits.NameMaxLength + 1, false)]
    [InlineData(100_000, false)]
    public void A_birth_name_is_at_most_100_characters(int length, bool accepted)
    {
        var name = new string('A', length);
        if (accepted)
        {
            Assert.Equal(name, Person(birthName: name).BirthName);
            return;
        }
        var error = Assert.Throws<DomainException>(() => Person(birthName: name));
        Assert.Equal(("TEXT_TOO_LONG", "birthName"), (error.Code, error.Field));
        Assert.Contains($"{FieldLimits.NameMaxLength} au plus", error.Message);
    }

    [Theory]
    [InlineData("mdph", FieldLimits.MdphFileNumberMaxLength)]
    [InlineData("usage", FieldLimits.NameMaxLength)]
    [InlineData("first", FieldLimits.NameMaxLength)]
    public void Every_identity_text_has_its_maximum(string which, int max)
    {
        PersonIdentity Make(int n) => which switch
        {
            "mdph" => Person(mdph: new string('7', n)),
            "usage" => Person(usageName: new string('B', n)),
            _ => Person(firstNames: [new string('C', n)]),
        };
        Make(max);
        Assert.Equal("TEXT_TOO_LONG", Assert.Throws<DomainException>(() => Make(max + 1)).Code);
    }

    [Theory]
    [InlineData("Mar\0tin", "U+0000 NUL", 4)]
    [InlineData("Mar\atin", "U+0007 BEL", 4)]
    [InlineData("\u001B[31mMartin", "U+001B ESC", 1)]
    [InlineData("Martin\r\nDurand", "U+000D", 7)]
    [InlineData("Martin\u202Eeniram", "U+202E", 7)]
    [InlineData("\u2066Martin", "U+2066", 1)]
    [InlineData("Mart\u2069in", "U+2069", 5)]
    [InlineData("Ma\u202Artin", "U+202A", 3)]
    public void Control_and_bidirectional_characters_are_refused_by_name_and_position(string name, string character, int position)
    {
        var error = Assert.Throws<DomainException>(() => Person(birthName: name));

        Assert.Equal(("INVALID_CHARACTER", "birthName"), (error.Code, error.Field));
        Assert.Contains(character, error.Message);
        Assert.Contains($"en position {position}", error.Message);
    }

    [Fact]
    public void French_names_with_accents_apostrophes_and_hyphens_pass()
    {
        var person = Person(birthName: "N'Guessan-Lefèvre", firstNames: ["Anaïs", "Zoé", "Jean-Noël"], usageName: "D'Aubigné Œuvray");

        Assert.Equal(["Anaïs", "Zoé", "Jean-Noël"], person.FirstNames.ToArray());
    }

    [Theory]
    [InlineData(FieldLimits.FirstNamesMaxCount, true)]
    [InlineData(FieldLimits.FirstNamesMaxCount + 1, false)]
    [InlineData(10_000, false)]
    public void At_most_ten_first_names(int count, bool accepted)
    {
        var names = Enumerable.Range(0, count).Select(i => $"Jean{new string('e', i % 5)}").ToList();
        if (accepted)
        {
            Assert.Equal(count, Person(firstNames: names).FirstNames.Length);
            return;
        }
        var error = Assert.Throws<DomainException>(() => Person(firstNames: names));
        Assert.Equal(("TOO_MANY_VALUES", "firstNames"), (error.Code, error.Field));
        Assert.Contains($"{count} valeurs reçues ; {FieldLimits.FirstNamesMaxCount} au plus", error.Message);
    }

    [Theory]
    [InlineData(1899, 12, 31, "INVALID_BIRTH_DATE")]
    [InlineData(2026, 11, 24, "INVALID_BIRTH_DATE")]
    public void A_birth_date_lies_between_1900_and_today(int y, int m, int d, string code)
    {
        Assert.Equal(code, Assert.Throws<DomainException>(() => Person(birth: new DateOnly(y, m, d))).Code);
    }

    [Fact]
    public void A_note_keeps_its_lines_and_refuses_other_controls_and_excess()
    {
        var ok = Situation.Create(SituationKind.AtHomeWithoutSolution, Today, null, "Première ligne\r\nseconde\tligne", Today);
        Assert.Equal("Première ligne\nseconde\tligne", ok.Note);

        Situation.Create(SituationKind.AtHomeWithoutSolution, Today, null, new string('n', FieldLimits.NoteMaxLength), Today);
        Assert.Equal("TEXT_TOO_LONG", Assert.Throws<DomainException>(() =>
            Situation.Create(SituationKind.AtHomeWithoutSolution, Today, null, new string('n', FieldLimits.NoteMaxLength + 1), Today)).Code);
        Assert.Equal("INVALID_CHARACTER", Assert.Throws<DomainException>(() =>
            Situation.Create(SituationKind.AtHomeWithoutSolution, Today, null, "bip\a", Today)).Code);
    }

    [Theory]
    [InlineData(2026, 11, 23, null)]
    [InlineData(2026, 11, 24, "DATE_IN_FUTURE")]
    [InlineData(2099, 1, 1, "DATE_IN_FUTURE")]
    [InlineData(9999, 12, 31, "DATE_IN_FUTURE")]
    [InlineData(1899, 12, 31, "DATE_TOO_EARLY")]
    public void A_situation_starts_between_1900_and_today(int y, int m, int d, string? code)
    {
        Situation Make() => Situation.Create(SituationKind.InHospital, new DateOnly(y, m, d), null, null, Today);
        if (code is null)
            Assert.Equal(new DateOnly(y, m, d), Make().Since);
        else
            Assert.Equal((code, "since"), Assert.Throws<DomainException>(Make) is var e ? (e.Code, e.Field) : default);
    }

    [Fact]
    public void A_situation_names_a_valid_finess()
    {
        Assert.Equal("INVALID_FINESS", Assert.Throws<DomainException>(() => Situation.Create(SituationKind.InAdultEsms, Today, "610000011", null, Today)).Code);
    }

    [Theory]
    [InlineData(FieldLimits.DecisionReferenceMaxLength, null)]
    [InlineData(FieldLimits.DecisionReferenceMaxLength + 1, "TEXT_TOO_LONG")]
    [InlineData(100_000, "TEXT_TOO_LONG")]
    public void A_decision_reference_is_at_most_50_characters(int length, string? code)
    {
        Orientation Make() => Orientation.Create(new string('D', length), KindOfSupport.Mas, Today, null, today: Today);
        if (code is null) Make();
        else Assert.Equal(code, Assert.Throws<DomainException>(Make).Code);
    }

    [Theory]
    [InlineData(2046, 11, 23, null)]
    [InlineData(2046, 11, 24, "DATE_TOO_FAR")]
    [InlineData(9999, 12, 31, "DATE_TOO_FAR")]
    [InlineData(1899, 12, 31, "DATE_TOO_EARLY")]
    public void An_orientation_may_be_scheduled_up_to_twenty_years_ahead(int y, int m, int d, string? code)
    {
        var date = new DateOnly(y, m, d);
        Orientation Make() => Orientation.Create("CDAPH-1", KindOfSupport.Mas, date.Year < 1900 ? date : Today, date, today: Today);
        if (code is null)
            Assert.False(Make().IsValidOn(date.AddDays(1)));
        else
            Assert.Equal(code, Assert.Throws<DomainException>(Make).Code);
    }

    [Theory]
    [InlineData("61000", true)]
    [InlineData("20167", true)]
    [InlineData("ABCDE", false)]
    [InlineData("6100", false)]
    [InlineData("610000", false)]
    [InlineData("61 00", false)]
    public void A_postcode_is_five_digits(string postcode, bool accepted)
    {
        EsmsProfile Make() => new EsmsRegistrationRequest("610000010", "IME Test", "183", postcode, "ALENCON").ToProfile();
        if (accepted)
        {
            Assert.Equal(postcode, Make().Postcode);
            return;
        }
        var error = Assert.Throws<DomainException>(Make);
        Assert.Equal(("INVALID_POSTCODE", "postcode"), (error.Code, error.Field));
    }

    [Fact]
    public void An_esms_name_is_bounded_and_clean()
    {
        Assert.Equal("TEXT_TOO_LONG", Assert.Throws<DomainException>(() => EsmsProfile.Create(FinessNumber.Parse("610000010"), new string('I', FieldLimits.EsmsNameMaxLength + 1), "183")).Code);
        Assert.Equal("INVALID_CHARACTER", Assert.Throws<DomainException>(() => EsmsProfile.Create(FinessNumber.Parse("610000010"), "IME\u202E", "183")).Code);
    }

    [Fact]
    public void An_urgency_reason_is_bounded_and_its_start_not_ahead()
    {
        UrgencyFlag.Create(UrgencySource.Pag, Today, new string('r', FieldLimits.ReasonMaxLength), "x", Today);
        Assert.Equal("TEXT_TOO_LONG", Assert.Throws<DomainException>(() => UrgencyFlag.Create(UrgencySource.Pag, Today, new string('r', FieldLimits.ReasonMaxLength + 1), "x", Today)).Code);
        Assert.Equal("DATE_IN_FUTURE", Assert.Throws<DomainException>(() => UrgencyFlag.Create(UrgencySource.Pag, new DateOnly(2099, 1, 1), "rupture", "x", Today)).Code);
    }

    [Fact]
    public void Room_runs_out_at_the_maximum_with_a_state_limit_refusal()
    {
        FieldRules.RequireRoom(9, 10, "f", "les choses");
        var error = Assert.Throws<DomainException>(() => FieldRules.RequireRoom(10, 10, "f", "les choses"));
        Assert.Equal(("STATE_LIMIT_REACHED", "f"), (error.Code, error.Field));
        Assert.StartsWith("Les choses : 10 déjà, 10 au plus", error.Message);
    }

    [Fact]
    public void Places_dated_ahead_are_refused()
    {
        Assert.Equal("DATE_IN_FUTURE", Assert.Throws<DomainException>(() => Places.Declare(Modality.Residential, 10, 2, Today.AddDays(1), Today)).Code);
        Assert.Equal(Today, Places.Declare(Modality.Residential, 10, 2, Today, Today).EffectiveDate);
    }

    [Fact]
    public void Surrogate_pairs_pass_and_lone_surrogates_do_not()
    {
        Assert.Null(FieldRules.FirstForbiddenCharacter("Zoé 😀", multiLine: false));
        Assert.Equal(2, FieldRules.FirstForbiddenCharacter("a\uD800b", multiLine: false)?.Position);
    }
}
