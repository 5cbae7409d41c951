using Listes360.Domain.Persons;
using Listes360.Domain.WaitingList;

namespace Listes360.Domain.Tests.WaitingList;

/// <summary>The list's search reads MDPH numbers by the domain's one rule (<see cref="MdphFileNumber"/>): any notation finds the file.</summary>
public class PersonSearchMdphTests
{
    private static readonly PersonSearchIndex Index = Build();

    private static PersonSearchIndex Build()
    {
        var index = new PersonSearchIndex();
        index.Upsert(new SearchablePerson(PersonId.Parse("61-ysaline"), "Vandenbroucke", null, ["Ysaline"], new(2015, 2, 3), "61-012345"));
        index.Upsert(new SearchablePerson(PersonId.Parse("61-leo"), "Lefebvre", null, ["Léo"], new(2008, 1, 20), "61 2015 00456"));
        index.Upsert(new SearchablePerson(PersonId.Parse("61-autre"), "Martin", null, ["Paul"], new(2001, 1, 1), "75-012345"));
        return index;
    }

    private static string[] Find(string text) => Index.Search(SearchText.Parse(text)).Select(h => h.Person.Value).Order().ToArray();

    [Theory]
    [InlineData("61-012345")]
    [InlineData("61.012345")]
    [InlineData("61012345")]
    public void Any_notation_with_the_departement_finds_the_file_of_that_departement(string text) =>
        Assert.Equal(["61-ysaline"], Find(text));

    [Theory]
    [InlineData("012345")]
    [InlineData("12345")]
    public void Without_departement_the_number_finds_every_file_with_it(string text) =>
        Assert.Equal(["61-autre", "61-ysaline"], Find(text));

    [Fact]
    public void A_number_with_its_year_is_found_however_it_is_written()
    {
        Assert.Equal(["61-leo"], Find("61-2015-00456"));
        Assert.Equal(["61-leo"], Find("61201500456"));
        Assert.Empty(Find("61-2015-00457"));
    }

    [Theory]
    [InlineData("Zorglub12a345", null)]
    [InlineData("61-2019-01234", "61-201901234")]
    [InlineData("2A-012345", "2A-12345")]
    [InlineData("012345", "12345")]
    public void Only_a_word_of_digits_reads_as_an_mdph_number(string text, string? expected) =>
        Assert.Equal(expected, SearchText.Parse(text).MdphFileNumber);
}
