using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using static Listes360.Domain.Tests.TestData;

namespace Listes360.Domain.Tests.Persons;

public sealed class OrientationRecordingTests
{
    [Fact]
    public void A_decision_is_recorded_once_a_replay_changes_nothing_other_terms_are_refused()
    {
        var person = Person(Today.AddYears(-12));
        var ime = Orientation(KindOfSupport.Ime);
        var (recorded, added) = OrientationRecording.Add(person, ime);
        Assert.True(added);
        Assert.Equal(ime, Assert.Single(recorded.Orientations));

        var (replayed, addedAgain) = OrientationRecording.Add(recorded, ime);
        Assert.False(addedAgain);
        Assert.Same(recorded, replayed);

        var e = Assert.Throws<DomainException>(() => OrientationRecording.Add(recorded, Orientation(KindOfSupport.Sessad)));
        Assert.Equal(("DUPLICATE_ORIENTATION", "decisionReference"), (e.Code, e.Field));
        Assert.Contains("CDAPH-2026-0001", e.Message);
    }
}
