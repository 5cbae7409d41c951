using Listes360.Domain;

namespace Listes360.Grains.Common;

/// <summary>
/// What a grain's receivers have not acknowledged yet, written with the change that caused it (the
/// acknowledged point) and delivered after it (<see cref="OutboxDelivery{T}"/>). Keyed: an effect under a
/// key already pending replaces it (receivers apply by version, only the latest matters) and goes last,
/// so the list keeps the order of the changes. Bounded: <see cref="MaxItems"/>.
/// </summary>
[GenerateSerializer, Alias("Listes360.Common.Outbox`1")]
public sealed class Outbox<T> where T : notnull
{
    /// <summary>More than any grain's keys (a person: 2 per candidature, at most 200, and a few more).</summary>
    public const int MaxItems = 1_000;

    [Id(0)] public List<OutboxItem<T>> Items { get; set; } = [];

    public int Count => Items.Count;

    public bool IsEmpty => Items.Count == 0;

    public void Put(string key, T effect)
    {
        Remove(key);
        if (Items.Count >= MaxItems)
            throw new DomainException(StateWrites.LimitReachedCode,
                $"Modification refusée : {Items.Count} envois sont déjà en attente de livraison (au plus {MaxItems}). Rien n'a été modifié ; signalez-le à l'administrateur.");
        Items.Add(new OutboxItem<T>(key, effect));
    }

    public void Remove(string key) => Items.RemoveAll(i => string.Equals(i.Key, key, StringComparison.Ordinal));

    public void Clear() => Items.Clear();
}

[GenerateSerializer, Immutable, Alias("Listes360.Common.OutboxItem`1")]
public sealed record OutboxItem<T>([property: Id(0)] string Key, [property: Id(1)] T Effect) where T : notnull;
