using Listes360.Domain.Idempotency;
using Listes360.Grains.Security;

namespace Listes360.Grains.Idempotency;

/// <summary>
/// One caller's use of one <c>Idempotency-Key</c> (key: <see cref="IdempotencyKeys.GrainKey"/>, hashes
/// of the caller and of the key): the record lives in the durable store, so a retry sent to another
/// silo after a failover finds it. Only the API calls it, as the service itself.
/// </summary>
[Alias("Listes360.Idempotency.IIdempotencyGrain")]
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// A keyed request arrives on silo <paramref name="holder"/> (its parsable address): start it, replay
    /// the stored answer, or refuse (see <see cref="IdempotencyRules.Begin"/>). An attempt held by a silo
    /// the membership declared dead is taken over at once.
    /// </summary>
    [Internal]
    [Alias("BeginAsync")]
    Task<IdempotencyBegin> BeginAsync(string requestHash, string attempt, string? holder = null);

    /// <summary>
    /// The attempt ended: keep its answer, or free the key when <paramref name="response"/> is null. True
    /// when the answer is kept; false when there was none, the attempt had lost the key, or the storage
    /// refused an answer that large (the key is then freed).
    /// </summary>
    [Internal]
    [Alias("CompleteAsync")]
    Task<bool> CompleteAsync(string attempt, IdempotentResponse? response);
}

[GenerateSerializer, Immutable, Alias("Listes360.Idempotency.IdempotencyBegin")]
public sealed record IdempotencyBegin(
    [property: Id(0)] IdempotencyOutcome Outcome,
    [property: Id(1)] IdempotentResponse? Response);
