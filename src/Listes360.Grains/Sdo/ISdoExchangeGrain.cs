using Listes360.Domain.Security;
using Listes360.Grains.Registry;
using Listes360.Grains.Security;

namespace Listes360.Grains.Sdo;

/// <summary>
/// The département's side of the ANS SDO exchange as a client of the SI-SDO (ViaTrajectoire): one grain
/// per département (key: its code). The ESMS grains hand it every status change of their candidatures
/// through their outbox; it keeps them in its own durable queue, sends each as an SDOTask (POST the
/// first time, then PUT), retries with backoff while the SI-SDO is unreachable, polls flow 5.1 for
/// admissions recorded elsewhere, and reports what was sent, is pending and failed. The implementation
/// lives with the FHIR code (<c>Listes360.Fhir</c>); off unless configured (<see cref="SdoClientSwitch"/>).
/// </summary>
[Alias("Listes360.Sdo.ISdoExchangeGrain")]
public interface ISdoExchangeGrain : IGrainWithStringKey
{
    /// <summary>
    /// A candidature's status changed (from an ESMS grain's outbox): queued, written, sent later. Interleaves
    /// with the sending timer, which calls the person grains whose changes end here (else a cycle).
    /// </summary>
    [Internal]
    [AlwaysInterleave]
    [Alias("EnqueueAsync")]
    Task EnqueueAsync(EsmsCandidatureView view);

    /// <summary>Starts the exchange's timer (the host at start-up, so that flow 5.1 is polled without waiting for a change).</summary>
    [Internal]
    [Alias("WakeAsync")]
    Task WakeAsync();

    /// <summary>What was sent, is pending and failed, with French reasons; the last poll of flow 5.1.</summary>
    [Allow(Role.Admin, Role.TerritorialStaff, Scope = KeyScope.Department)]
    [AlwaysInterleave]
    [Alias("GetReportAsync")]
    Task<SdoExchangeReport> GetReportAsync();
}

/// <summary>Whether the service is a client of an SI-SDO (registered by the host when configured; absent: off).</summary>
public sealed record SdoClientSwitch(bool Enabled, IReadOnlyCollection<string> Departments);

/// <summary>Where one candidature's status stands towards the SI-SDO.</summary>
public enum SdoSendState
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// One candidature's latest status towards the SI-SDO: <see cref="Status"/> the harmonised status queued
/// (version <see cref="Version"/>), <see cref="RemoteTaskId"/> the SI-SDO's Task once created (then PUT),
/// <see cref="Detail"/> what happened last, in French.
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Sdo.SdoExchangeItem")]
public sealed record SdoExchangeItem(
    [property: Id(0)] string CandidatureId,
    [property: Id(1)] string PersonId,
    [property: Id(2)] string Finess,
    [property: Id(3)] string Status,
    [property: Id(4)] int Version,
    [property: Id(5)] bool Open,
    [property: Id(6)] SdoSendState State,
    [property: Id(7)] string? RemoteTaskId,
    [property: Id(8)] string? NationalDecisionId,
    [property: Id(9)] int Attempts,
    [property: Id(10)] DateTimeOffset? LastAttemptAt,
    [property: Id(11)] DateTimeOffset? NextAttemptAt,
    [property: Id(12)] string? SentCode,
    [property: Id(13)] string Detail);

[GenerateSerializer, Immutable, Alias("Listes360.Sdo.SdoExchangeReport")]
public sealed record SdoExchangeReport(
    [property: Id(0)] string Department,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] string? BaseUrl,
    [property: Id(3)] int Sent,
    [property: Id(4)] int Pending,
    [property: Id(5)] int Failed,
    [property: Id(6)] DateTimeOffset? LastPollAt,
    [property: Id(7)] string? LastPoll,
    [property: Id(8)] IReadOnlyList<SdoExchangeItem> Items,
    [property: Id(9)] IReadOnlyList<string> Received);
