using Listes360.Domain;
using Listes360.Grains.Department;

namespace Listes360.Grains.Tests.Department;

public sealed class ReconcileFailureTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_refusal_of_the_domain_is_reported_with_its_french_message_and_code()
    {
        var failure = ReconcileFailure.Of("61-abc", new DomainException("LIMIT_REACHED", "Modification refusée : trop d'envois en attente."), TimeSpan.FromSeconds(1), At);

        Assert.Equal("61-abc", failure.PersonId);
        Assert.Equal("Modification refusée : trop d'envois en attente. (LIMIT_REACHED)", failure.Reason);
        Assert.Equal(At, failure.At);
    }

    [Fact]
    public void A_timeout_says_how_long_and_that_the_next_pass_takes_it_again()
    {
        var failure = ReconcileFailure.Of("61-abc", new TimeoutException("Response did not arrive on time"), TimeSpan.FromSeconds(30.2), At);

        Assert.StartsWith("pas de réponse en 30 s", failure.Reason);
        Assert.Contains("passe suivante", failure.Reason);
    }

    [Fact]
    public void Another_error_is_named_and_its_message_cut_to_300_characters()
    {
        var failure = ReconcileFailure.Of("61-abc", new InvalidOperationException(new string('x', 500)), TimeSpan.Zero, At);

        Assert.StartsWith("InvalidOperationException : ", failure.Reason);
        Assert.Equal("InvalidOperationException : ".Length + 301, failure.Reason.Length);
    }
}
