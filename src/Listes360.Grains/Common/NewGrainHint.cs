namespace Listes360.Grains.Common;

/// <summary>
/// Tells storage, with a call, that the grain it activates was created by the caller a moment ago and has no stored
/// state: its first activation then reads nothing. An onboarding creates one person per identity resolved as new (its
/// id a new GUID, <see cref="Domain.Persons.PersonId.New"/>), and each first activation read storage to find nothing:
/// 20,000 requests of 60,000 at the Nord's scale. The hint names the grain: a call the person makes meanwhile carries it
/// to other grains, which it does not name. A wrong hint loses nothing: the first write is then an insert, refused by
/// storage when the entity exists (its ETag is unknown), and the caller gets the error.
/// </summary>
public static class NewGrainHint
{
    private const string Key = "listes360.new-grain";

    /// <summary>Calls made from here until disposal say that <paramref name="grain"/> is new.</summary>
    public static IDisposable For(GrainId grain)
    {
        var before = RequestContext.Get(Key);
        RequestContext.Set(Key, grain.ToString());
        return new Restore(before);
    }

    /// <summary>Whether the call under way says that <paramref name="grain"/> is new.</summary>
    public static bool IsNew(GrainId grain) => RequestContext.Get(Key) is string named && named == grain.ToString();

    private sealed class Restore(object? before) : IDisposable
    {
        public void Dispose()
        {
            if (before is null)
                RequestContext.Remove(Key);
            else
                RequestContext.Set(Key, before);
        }
    }
}
