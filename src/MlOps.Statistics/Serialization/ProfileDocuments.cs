namespace MlOps.Statistics.Serialization;

// The wire shape of profiles. Versioned, explicit, and independent of the in-memory classes,
// so the classes can change without breaking stored reference profiles.

internal sealed record DatasetProfileDocument(int Version, long Rows, Dictionary<string, FeatureProfileDocument> Features);

internal sealed record FeatureProfileDocument(
    string Kind,
    long Missing,
    NumericDocument? Numeric = null,
    CategoricalDocument? Categorical = null);

internal sealed record NumericDocument(
    long Count,
    double Min,
    double Max,
    double Mean,
    double M2,
    double SumAbs,
    double[][]? Distinct,
    BinningDocument? Binning,
    long[] BinCounts,
    SketchDocument Sketch);

internal sealed record BinningDocument(bool ByValue, double[] Points);

internal sealed record SketchDocument(double RelativeAccuracy, int MaxBuckets, long Zero, long[][] Negative, long[][] Positive);

internal sealed record CategoricalDocument(int MaxCategories, long Other, Dictionary<string, long> Counts);
