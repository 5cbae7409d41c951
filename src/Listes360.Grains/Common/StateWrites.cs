using Listes360.Domain;

namespace Listes360.Grains.Common;

/// <summary>
/// Marks the storage's refusal of a state too large for one entity (the Azure Table provider's
/// <c>GrainStateTooLargeException</c>), so that grains can tell it from other failures without
/// depending on the storage project.
/// </summary>
public interface IStateTooLargeException
{
    long Size { get; }
    long Limit { get; }
}

public static class StateWrites
{
    public const string LimitReachedCode = "STATE_LIMIT_REACHED";

    /// <summary>
    /// Writes the state; on any failure the activation goes back to what storage holds (so it is never
    /// ahead of it and nothing else follows from the refused change), and a state too large to be
    /// stored becomes a precise refusal (<c>STATE_LIMIT_REACHED</c>) instead of an internal error.
    /// </summary>
    public static async Task WriteOrRestoreAsync<T>(this IPersistentState<T> state, string what)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            await state.ReadStateAsync();
            if (e is IStateTooLargeException tooLarge)
                throw new DomainException(LimitReachedCode,
                    $"Modification refusée : {what} dépasserait la taille qu'un enregistrement peut stocker ({tooLarge.Size:N0} octets pour {tooLarge.Limit:N0} au plus). Rien n'a été modifié ; signalez-le à l'administrateur.");
            throw;
        }
    }
}
