using System.Reflection;
using System.Text.Json;

namespace Listes360.Domain.Identity;

/// <summary>
/// The two score thresholds: at or above <see cref="Same"/> a pair is merged automatically; at or
/// above <see cref="Possible"/> it goes to review; below, two persons. <see cref="Calibrated"/> is read
/// from <c>Identity/calibration.json</c> (embedded), written by <c>dotnet run --project bench/dedup -c
/// Release -- calibrate</c>: seeded labelled pairs, Same = the score maximising F1 under a precision
/// floor, Possible = the highest score keeping recall above a floor (<see cref="ThresholdCalibration"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("Listes360.Identity.MatchThresholds")]
public sealed record MatchThresholds([property: Id(0)] double Same, [property: Id(1)] double Possible)
{
    private static readonly (MatchThresholds Thresholds, string ScorerVersion) Shipped = Load();

    /// <summary>The thresholds shipped with the domain (calibration.json).</summary>
    public static MatchThresholds Calibrated => Shipped.Thresholds;

    /// <summary>The <see cref="MatchScorer.Version"/> the shipped calibration was produced with.</summary>
    public static string CalibratedScorerVersion => Shipped.ScorerVersion;

    private static (MatchThresholds, string) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Listes360.Domain.Identity.calibration.json")
            ?? throw new InvalidOperationException("Identity/calibration.json is not embedded in Listes360.Domain.");
        using var document = JsonDocument.Parse(stream);
        var thresholds = document.RootElement.GetProperty("thresholds");
        var version = document.RootElement.TryGetProperty("scorerVersion", out var v) ? v.GetString() ?? "" : "";
        return (new MatchThresholds(thresholds.GetProperty("same").GetDouble(), thresholds.GetProperty("possible").GetDouble()), version);
    }
}
