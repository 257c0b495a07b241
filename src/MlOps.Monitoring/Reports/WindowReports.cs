using System.Globalization;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Reports;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Reports;

/// <summary>
/// The drift report of one closed window: its stored result (the numbers the windows API serves), the window's
/// stored feature profiles for the current side, and the reference profile it was compared with for the other.
/// What is missing (a window stored before profiles were kept, a window not compared, a reference gone) is said, and
/// the summary is still shown.
/// </summary>
internal static class WindowReports
{
    /// <summary>The relative URL of a window's report (what the windows API gives as <c>reportUrl</c>).</summary>
    public static string Url(string model, string version, DateTimeOffset windowStart) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/monitoring/{Uri.EscapeDataString(model)}/windows/{windowStart.ToUnixTimeMilliseconds()}/report?version={Uri.EscapeDataString(version)}");

    /// <summary>Reads a window start as the windows API prints it (ISO 8601) or as Unix milliseconds.</summary>
    public static bool TryParseStart(string text, out long unixMilliseconds)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out unixMilliseconds))
            return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            unixMilliseconds = at.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    /// <param name="result">The stored result.</param>
    /// <param name="window">The window's stored feature profiles, or null (see <paramref name="windowMissing"/>).</param>
    /// <param name="windowMissing">Why <paramref name="window"/> is null.</param>
    /// <param name="model">The catalog's model, for the reference profile and the share threshold (null when gone).</param>
    /// <param name="now">When the report is made.</param>
    public static DriftReport Build(WindowResult result, DatasetProfile? window, string? windowMissing, ModelContext? model, DateTimeOffset now)
    {
        var c = CultureInfo.InvariantCulture;
        DatasetProfile? reference = result.ReferenceVersion is { } rv ? model?.ReferenceProfile(rv) : null;
        string? plotsMissing = result.NotEvaluated is not null ? "the window was not compared with a reference, so there is no reference distribution to draw"
            : window is null ? windowMissing ?? "this window was stored before window profiles were kept"
            : reference is null ? $"the reference profile of version {result.ReferenceVersion} is no longer in the registry"
            : null;
        var features = new List<FeatureReport>(result.Features.Count);
        foreach (var f in result.Features)
        {
            FeatureDistribution? distribution = null;
            string? plotMissing = null;
            FeatureProfile? referenceFeature = reference?.Features.GetValueOrDefault(f.Name);
            if (plotsMissing is null)
            {
                var current = window!.Features.GetValueOrDefault(f.Name);
                (distribution, plotMissing) = current is null ? (null, "the window's profile has no such feature")
                    : referenceFeature is null ? (null, "the reference profile has no such feature")
                    : DistributionBuilder.FromProfiles(referenceFeature, current);
            }

            features.Add(new FeatureReport(f.Name, f.Type)
            {
                Method = f.Method,
                Statistic = f.Statistic,
                PValue = f.PValue,
                Threshold = f.Threshold,
                Drifted = f.Drifted,
                MissingShare = f.MissingShare,
                ReferenceMissingShare = referenceFeature is { Rows: > 0 } r ? (double)r.Missing / r.Rows : null,
                ErrorBound = f.ErrorBound,
                NotEvaluated = f.NotEvaluated,
                Distribution = distribution,
                PlotMissing = plotMissing,
            });
        }

        var compared = new List<ReportFact>
        {
            new("Model", result.Model),
            new("Version", result.Version),
            new("Window", $"{Time(result.WindowStart)} – {Time(result.WindowEnd)}"),
            new("Reference", result.ReferenceVersion is { } version ? $"version {version}'s reference profile" : "none"),
            new("Closed", Time(result.ClosedAt)),
            new("Labelled", $"{result.Labelled.ToString("N0", c)} of {result.Rows.ToString("N0", c)} predictions"),
        };
        if (result.CarriedFrom is { } from)
            compared.Insert(3, new("Carried from", Time(from)));
        return new DriftReport
        {
            Title = $"Data drift: {result.Model} version {result.Version}, window {Time(result.WindowStart)}",
            Compared = compared,
            ReferenceRows = reference?.Rows,
            CurrentRows = result.Rows,
            DriftedShare = result.DriftedShare,
            DatasetDrift = result.DatasetDrift,
            ShareThreshold = model?.Monitoring.DatasetDriftShare ?? 0.5,
            NotEvaluated = result.NotEvaluated,
            PlotsMissing = plotsMissing,
            GeneratedAt = now,
            Features = features,
        };
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
