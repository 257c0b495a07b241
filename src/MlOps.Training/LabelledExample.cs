namespace MlOps.Training;

/// <summary>One joined prediction and outcome, as the monitor stores it in <c>labelled_examples</c>.</summary>
/// <param name="PredictionId">The prediction's id; duplicates are dropped by <see cref="TrainingDataPreparation.Prepare"/>.</param>
/// <param name="Version">The model version that made the prediction.</param>
/// <param name="Timestamp">The prediction's event time; the splits are by this time.</param>
/// <param name="Features">
/// Feature values by feature name: <see cref="double"/> for numeric features, <see cref="string"/> for categorical ones,
/// <see cref="bool"/> for boolean ones; <see langword="null"/> or absent = missing.
/// </param>
/// <param name="Actual">The outcome as text: the class label for classification (see <c>Scalar.ToString</c>).</param>
/// <param name="ActualNumber">The outcome as a number, for regression.</param>
public sealed record LabelledExample(
    string PredictionId,
    string Version,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, object?> Features,
    string Actual,
    double? ActualNumber);
