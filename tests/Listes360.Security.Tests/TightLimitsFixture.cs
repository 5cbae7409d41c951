using Listes360.Api.GraphQL;
using Listes360.Api.Tests;

namespace Listes360.Security.Tests;

/// <summary>
/// A host of its own whose write rate is tiny and whose read budget is spent before anything runs:
/// the shared host lifts the write rate (the suites write faster than any person) and keeps the
/// budget as configured.
/// </summary>
public sealed class TightLimitsFixture : IAsyncLifetime
{
    public const int Burst = 3;

    public ApiFixture Api { get; } = new()
    {
        Overrides = new Dictionary<string, string?>
        {
            [RequestLimits.WritesPerMinuteSetting] = "1",
            [RequestLimits.WriteBurstSetting] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [GraphQLHttpEndpoint.TimeBudgetSetting] = "0",
        },
    };

    public Task InitializeAsync() => Api.InitializeAsync();

    public Task DisposeAsync() => Api.DisposeAsync();
}
