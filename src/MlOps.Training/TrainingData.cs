namespace MlOps.Training;

/// <summary>Valid, de-duplicated examples split by time (oldest 80 % train, next 10 % validation, newest 10 % test).</summary>
/// <param name="Train">The oldest 80 %.</param>
/// <param name="Validation">The next 10 %.</param>
/// <param name="Test">The newest 10 %: what the final model is judged on.</param>
/// <param name="Dropped">Examples left out, by reason (see <see cref="DropReasons"/>); only reasons that occurred.</param>
public sealed record TrainingData(
    IReadOnlyList<LabelledExample> Train,
    IReadOnlyList<LabelledExample> Validation,
    IReadOnlyList<LabelledExample> Test,
    IReadOnlyDictionary<string, long> Dropped);
