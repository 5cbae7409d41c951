using Listes360.Domain.Candidatures;
using Listes360.Domain.Persons;
using Listes360.Domain.Registry;
using Listes360.Domain.Risk;
using Listes360.Domain.WaitingList;

namespace Listes360.Application.WaitingList;

/// <summary>A list filter as a user gives it (lists may be absent); <see cref="ToFilter"/> gives the domain's.</summary>
public sealed record WaitingListFilterInput(
    string? Territory = null,
    IReadOnlyList<KindOfSupport>? Kinds = null,
    IReadOnlyList<Modality>? Modalities = null,
    IReadOnlyList<SituationKind>? Situations = null,
    IReadOnlyList<CandidatureStatus>? Statuses = null,
    IReadOnlyList<RiskFlag>? Flags = null,
    bool? Urgent = null,
    bool? WithoutSolution = null,
    DateOnly? WaitingSinceFrom = null,
    DateOnly? WaitingSinceTo = null,
    DateOnly? OrientationEndingBefore = null,
    string? Esms = null,
    bool IncludePreferredEsmsOnly = false)
{
    public WaitingListFilter ToFilter() => new()
    {
        Territory = string.IsNullOrWhiteSpace(Territory) ? null : Territory.Trim(),
        Kinds = [.. Kinds ?? []],
        Modalities = [.. Modalities ?? []],
        Situations = [.. Situations ?? []],
        Statuses = [.. Statuses ?? []],
        Flags = [.. Flags ?? []],
        Urgent = Urgent,
        WithoutSolution = WithoutSolution,
        WaitingSinceFrom = WaitingSinceFrom,
        WaitingSinceTo = WaitingSinceTo,
        OrientationEndingBefore = OrientationEndingBefore,
        Esms = Esms is null ? null : FinessNumber.Parse(Esms),
        IncludePreferredEsmsOnly = IncludePreferredEsmsOnly,
    };
}
