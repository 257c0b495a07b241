namespace MlOps.Reports;

/// <summary>
/// Everything a drift report shows: what was compared, the dataset verdict, and every feature with its test, numbers
/// and distributions. Filled by <c>mlops report</c> from two CSV files and by the monitor from a stored window; drawn by
/// <see cref="DriftReportHtml"/>.
/// </summary>
public sealed record DriftReport
{
    /// <summary>The page title, e.g. "Data drift: reference.csv → current.csv".</summary>
    public required string Title { get; init; }

    /// <summary>What was compared, as label/value lines (files; or model, version, window, reference version).</summary>
    public IReadOnlyList<ReportFact> Compared { get; init; } = [];

    /// <summary>Rows of the reference, when known.</summary>
    public long? ReferenceRows { get; init; }

    /// <summary>Rows of the current data (the window's predictions).</summary>
    public long CurrentRows { get; init; }

    /// <summary>Share of the evaluated features that drifted (0–1).</summary>
    public double DriftedShare { get; init; }

    /// <summary>The dataset verdict: drifted share ≥ <see cref="ShareThreshold"/>.</summary>
    public bool DatasetDrift { get; init; }

    /// <summary>The drifted share at which the dataset counts as drifted.</summary>
    public double ShareThreshold { get; init; } = 0.5;

    /// <summary>Why the data set's drift was not evaluated (null when it was).</summary>
    public string? NotEvaluated { get; init; }

    /// <summary>Why no feature has a plot (null when the plots are there, or a feature says why it has none).</summary>
    public string? PlotsMissing { get; init; }

    /// <summary>When the report was made.</summary>
    public DateTimeOffset? GeneratedAt { get; init; }

    /// <summary>Every feature, in any order: the renderer sorts by drift (<see cref="FeatureOrder"/>).</summary>
    public IReadOnlyList<FeatureReport> Features { get; init; } = [];
}

/// <summary>One "what was compared" line of a report header.</summary>
public sealed record ReportFact(string Label, string Value);
