namespace MlOps.Training;

/// <summary>Why <see cref="TrainingDataPreparation.Prepare"/> left an example out: the keys of <see cref="TrainingData.Dropped"/>.</summary>
public static class DropReasons
{
    /// <summary>A later example with a prediction id already seen (the first one is kept).</summary>
    public const string Duplicate = "duplicate";

    /// <summary>A class label the schema does not declare.</summary>
    public const string UnknownClass = "unknown_class";

    /// <summary>No actual: an empty label for classification, no number for regression.</summary>
    public const string MissingActual = "missing_actual";

    /// <summary>A feature value whose type does not match the schema (e.g. text for a numeric feature).</summary>
    public const string WrongFeatureType = "wrong_feature_type";

    /// <summary>A regression actual that is NaN or infinite.</summary>
    public const string NonFiniteActual = "non_finite_actual";
}
