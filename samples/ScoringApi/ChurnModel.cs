using Microsoft.ML.Data;

namespace ScoringApi;

/// <summary>
/// The model's ML.NET input: one member per schema feature, named as the feature. Numeric (and boolean) features are
/// float columns, categorical ones text — what MlOps.Training saves, and what <see cref="DemoChampion"/> trains.
/// </summary>
public sealed class ChurnInput
{
    [ColumnName("age")]
    public float Age { get; set; }

    [ColumnName("tenure_months")]
    public float TenureMonths { get; set; }

    /// <summary>NaN when unknown: logged as a missing value, replaced by the mean inside the model.</summary>
    [ColumnName("income")]
    public float Income { get; set; } = float.NaN;

    [ColumnName("plan")]
    public string Plan { get; set; } = "";

    [ColumnName("region")]
    public string Region { get; set; } = "";
}

/// <summary>What a binary ML.NET model writes.</summary>
public sealed class ChurnOutput
{
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}

/// <summary>POST /score.</summary>
public sealed record ScoreRequest(double Age, double TenureMonths, double? Income, string Plan, string Region, string? PredictionId = null);

/// <summary>The answer of POST /score: log the outcome later with <paramref name="PredictionId"/>.</summary>
public sealed record ScoreResponse(string PredictionId, string ModelVersion, string Prediction, double? Score, string Logged);

/// <summary>POST /outcome: the true label ("0" or "1") of an earlier prediction.</summary>
public sealed record OutcomeRequest(string PredictionId, string Actual);
