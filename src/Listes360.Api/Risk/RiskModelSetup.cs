using Listes360.Domain.Risk;
using Listes360.Domain.Security;
using Listes360.Risk.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Listes360.Api.Risk;

/// <summary>Which risk model the silo loads (configuration section <c>Risk</c>).</summary>
public sealed class RiskSettings
{
    public const string Section = "Risk";

    /// <summary>A département's own model (zip written by <c>listes360 risk train</c>, provenance beside it); empty: the shipped model.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Off: persons are listed with their flags only, without probability.</summary>
    public bool Enabled { get; set; } = true;
}

public static class RiskModelSetup
{
    /// <summary>
    /// Loads the model now, at silo start (a bad model stops the start with its reason rather than
    /// failing on the first score), and registers it for the risk shards and the API.
    /// </summary>
    public static void AddRiskScorer(IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(RiskSettings.Section).Get<RiskSettings>() ?? new RiskSettings();
        if (!settings.Enabled)
            return;
        IRiskScorer model = string.IsNullOrWhiteSpace(settings.ModelPath) ? RiskModel.LoadShipped() : RiskModel.Load(settings.ModelPath);
        services.TryAddSingleton(model);
    }
}

/// <summary>The observatory's pseudonym key (configuration <c>Observatory:PseudonymSecret</c>, else derived from <c>Nir:Secret</c>).</summary>
public static class ObservatorySetup
{
    public const string SecretKey = "Observatory:PseudonymSecret";

    /// <summary>
    /// Registers the département's pseudonym key when a secret is configured (<see cref="DepartmentSecrets.KeyFor"/>).
    /// Without either, nothing is registered and the rupture-risk list is refused
    /// (<see cref="ObservatoryPseudonyms.Missing"/>) rather than served under a guessable hash.
    /// </summary>
    public static void AddPseudonyms(IServiceCollection services, IConfiguration configuration)
    {
        if (DepartmentSecrets.KeyFor(configuration[SecretKey], SecretKey, configuration[DepartmentSecrets.NirSecretSetting], ObservatoryPseudonyms.DerivationLabel) is { } key)
            services.TryAddSingleton(new ObservatoryPseudonyms(key));
    }
}
