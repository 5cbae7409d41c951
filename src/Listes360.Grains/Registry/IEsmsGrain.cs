using Listes360.Domain.Registry;
using Listes360.Domain.Security;
using Listes360.Grains.Security;

namespace Listes360.Grains.Registry;

/// <summary>One ESMS, keyed by its FINESS number (validated before the grain is reached).</summary>
public interface IEsmsGrain : IGrainWithStringKey
{
    /// <summary>The ESMS as registered, or null when this FINESS number is not registered.</summary>
    [ReadOnly]
    [Allow(Role.EsmsDirector, Role.TerritorialStaff, Role.MdphReferent, Role.Observatory, Role.Admin, Scope = KeyScope.Finess)]
    Task<EsmsSnapshot?> GetAsync();

    /// <summary>Registers the ESMS or updates its identity; an identical registration changes nothing.</summary>
    [Allow(Role.Admin)]
    Task<EsmsSnapshot> RegisterAsync(EsmsRegistration registration, string by);

    /// <summary>Declares the places of one modality; refused (unchanged) when not registered or invalid.</summary>
    [Allow(Role.EsmsDirector, Role.Admin, Scope = KeyScope.Finess)]
    Task<EsmsSnapshot> SetPlacesAsync(Modality modality, int capacity, int occupied, DateOnly effectiveDate, string by);
}

/// <summary>What registering an ESMS says about it.</summary>
[GenerateSerializer, Immutable]
public sealed record EsmsRegistration(
    [property: Id(0)] string Name,
    [property: Id(1)] string Category);

/// <summary>A read of an ESMS: identity, places by modality, history of place changes.</summary>
[GenerateSerializer, Immutable]
public sealed record EsmsSnapshot(
    [property: Id(0)] string Finess,
    [property: Id(1)] string Name,
    [property: Id(2)] string Category,
    [property: Id(3)] IReadOnlyList<Places> Places,
    [property: Id(4)] IReadOnlyList<PlacesChange> PlacesHistory,
    [property: Id(5)] int Version);
