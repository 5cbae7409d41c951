using System.Security.Cryptography;
using System.Text;
using Listes360.Domain.Idempotency;
using Listes360.Domain.Security;
using Listes360.Grains.Common;

namespace Listes360.Grains.Idempotency;

[GenerateSerializer, Alias("Listes360.Idempotency.IdempotencyState")]
public sealed class IdempotencyState
{
    [Id(0)] public IdempotencyRecord? Record { get; set; }
}

/// <summary>
/// Stores one record and applies <see cref="IdempotencyRules"/>; one grain per (caller, key) keeps
/// each record in its own row, so that an answer of up to <see cref="IdempotencyKeys.MaxStoredResponseBytes"/>
/// fits. A record past its retention is replaced by the next request under its key, and deleted when
/// its grain next activates.
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState(IdempotencyGrain.StateName, StorageNames.Main)] IPersistentState<IdempotencyState> state,
    TimeProvider clock,
    IClusterMembershipService? membership = null) : Grain, IIdempotencyGrain
{
    /// <summary>The state's name in storage (<see cref="IExpiredIdempotencyRecords"/> finds the rows by it).</summary>
    public const string StateName = "idempotency";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Record is { } record && IdempotencyRules.Expired(record, clock.GetUtcNow()))
        {
            await state.ClearStateAsync();
            state.State.Record = null;
        }
    }

    public async Task<IdempotencyBegin> BeginAsync(string requestHash, string attempt, string? holder = null)
    {
        var existing = state.State.Record;
        var decision = IdempotencyRules.Begin(existing, requestHash, attempt, clock.GetUtcNow(), holder, HolderIsDead(existing));
        if (decision.Next is not null)
        {
            state.State.Record = decision.Next;
            await state.WriteOrRestoreAsync("la clé d'idempotence");
        }
        return new IdempotencyBegin(decision.Outcome, decision.Replay);
    }

    private bool HolderIsDead(IdempotencyRecord? record)
    {
        if (record is not { InProgress: true, Holder: { } holder } || membership is null)
            return false;
        try
        {
            return membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(holder)) == SiloStatus.Dead;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public async Task<bool> CompleteAsync(string attempt, IdempotentResponse? response)
    {
        var current = state.State.Record;
        var next = IdempotencyRules.Complete(current, attempt, response, clock.GetUtcNow());
        if (ReferenceEquals(next, current))
            return false;
        state.State.Record = next;
        if (next is not null)
        {
            try
            {
                await state.WriteOrRestoreAsync("la réponse gardée pour la clé d'idempotence");
                return true;
            }
            catch (Domain.DomainException e) when (e.Code == StateWrites.LimitReachedCode)
            {
                // Too large for one row once serialized: not kept, and the key is not left « in progress ».
            }
        }
        await state.ClearStateAsync();
        state.State.Record = null;
        return false;
    }
}

/// <summary>Names of the records: hashes, so that neither the token's subject nor the client's key is written in a storage key.</summary>
public static class IdempotencyKeys
{
    /// <summary>Largest answer kept for replay (UTF-8 bytes); a larger one is sent but not kept.</summary>
    public const int MaxStoredResponseBytes = 256 * 1024;

    /// <summary>The grain of <paramref name="key"/> for this caller: the token's subject within its département.</summary>
    public static string GrainKey(Caller caller, string key) =>
        $"{Hash($"{caller.Subject}\u001f{caller.Department ?? "national"}")}-{Hash(key)}";

    /// <summary>What makes two requests « the same »: the document, the operation chosen and the variables.</summary>
    public static string RequestHash(string? query, string? operationName, string? variablesJson) =>
        Hash($"{query?.Length}:{query}|{operationName?.Length}:{operationName}|{variablesJson}");

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
