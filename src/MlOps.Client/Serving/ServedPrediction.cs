using MlOps.Client.Logging;
using MlOps.Contracts;

namespace MlOps.Client.Serving;

/// <summary>One prediction of <see cref="ChampionModel{TInput, TOutput}"/>, with the version that actually served it.</summary>
/// <typeparam name="TOutput">The ML.NET output class.</typeparam>
/// <param name="Output">What the model returned.</param>
/// <param name="Version">The model version that served it.</param>
/// <param name="PredictionId">The id it was logged under: log its outcome with it.</param>
/// <param name="Prediction">The label (classification) or number (regression), as logged.</param>
/// <param name="Score">The positive-class probability (binary), as logged.</param>
/// <param name="LatencyMs">Time spent in the model, in milliseconds.</param>
/// <param name="Log">What the logger did with it; null when not logged.</param>
public sealed record ServedPrediction<TOutput>(TOutput Output, string Version, string PredictionId, Scalar Prediction, double? Score, double LatencyMs, LogResult? Log);
