namespace MlOps.Statistics.Profiles;

/// <summary>One bucket of a <see cref="QuantileSketch"/>.</summary>
/// <param name="Key">Orders buckets by value; equal keys in two compatible sketches are the same bucket.</param>
/// <param name="Value">The representative value, within the sketch's relative accuracy of every value in the bucket.</param>
/// <param name="Count">Values in the bucket.</param>
public readonly record struct SketchBucket(long Key, double Value, long Count);
