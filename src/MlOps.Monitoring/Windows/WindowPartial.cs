using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Metrics;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Windows;

/// <summary>
/// One partition's share of one window: feature profiles (on the reference's bins), the prediction distribution,
/// latency, and the realised performance of the window's predictions whose outcomes have arrived. Mergeable, so
/// the partials of every partition add up to the window.
/// </summary>
public sealed class WindowPartial
{
    // The feature profiles by position of the events' feature layout (see SlotsFor).
    private (FeatureProfile Profile, int Position)[] _slots = [];
    private FeatureLayout? _slotsLayout;

    public WindowPartial(WindowKey key, ModelTask task, DatasetProfile features, FeatureProfile predictions)
    {
        Key = key;
        Task = task;
        Features = features;
        Predictions = predictions;
        Latency = new NumericProfile();
        Binary = task == ModelTask.Binary ? new BinaryMetricsAccumulator() : null;
        Multiclass = task == ModelTask.Multiclass ? new MulticlassMetricsAccumulator() : null;
        Regression = task == ModelTask.Regression ? new RegressionMetricsAccumulator() : null;
    }

    public WindowKey Key { get; }

    public ModelTask Task { get; }

    /// <summary>Feature profiles, on the bins of <see cref="ReferenceVersion"/>'s reference.</summary>
    public DatasetProfile Features { get; }

    /// <summary>The version whose reference profile gave <see cref="Features"/> its bins (null: plain profiles, no reference).</summary>
    public string? ReferenceVersion { get; internal set; }

    /// <summary>
    /// True when partials profiled on different references were merged (the champion changed while the window was
    /// open): counts and performance add up, feature profiles cannot, so the window's drift is not evaluated.
    /// </summary>
    public bool MixedReferences { get; internal set; }

    /// <summary>Predicted labels (classification) or values (regression).</summary>
    public FeatureProfile Predictions { get; }

    /// <summary>The <c>latencyMs</c> of the window's predictions.</summary>
    public NumericProfile Latency { get; private set; }

    /// <summary>Start (Unix ms) of the earliest window carried into this one (count-triggered models), or null.</summary>
    public long? CarriedFrom { get; internal set; }

    /// <summary>Predictions counted.</summary>
    public long Rows { get; internal set; }

    /// <summary>Predictions whose outcome arrived and was joined.</summary>
    public long Labelled => Binary?.Count ?? Multiclass?.Count ?? Regression?.Count ?? 0;

    public BinaryMetricsAccumulator? Binary { get; private set; }

    public MulticlassMetricsAccumulator? Multiclass { get; private set; }

    public RegressionMetricsAccumulator? Regression { get; private set; }

    /// <summary>Counts one prediction's features, prediction and latency.</summary>
    public void AddPrediction(IReadOnlyDictionary<string, Scalar> features, Scalar prediction, double? latencyMs)
    {
        Rows++;
        Features.AddRows(1);
        if (features is FeatureVector vector)
        {
            // A validated event's values by position: the same profiles in the same order, no lookup by name.
            foreach (var (profile, position) in SlotsFor(vector.Layout))
                Add(profile, position >= 0 ? vector[position] : Scalar.Missing);
        }
        else
        {
            foreach (var (name, profile) in Features.Features)
            {
                var value = features.TryGetValue(name, out var v) ? v : Scalar.Missing;
                Add(profile, value);
            }
        }

        Add(Predictions, prediction);
        if (latencyMs is { } ms)
            Latency.Add(ms);
    }

    // Each feature profile with its position in the layout of the events' vectors (-1: the events have no such
    // feature), built once per layout (and again should the profile gain a feature).
    private (FeatureProfile Profile, int Position)[] SlotsFor(FeatureLayout layout)
    {
        if (!ReferenceEquals(_slotsLayout, layout) || _slots.Length != Features.Features.Count)
        {
            _slots = [.. Features.Features.Select(kv => (kv.Value, layout.PositionOf(kv.Key)))];
            _slotsLayout = layout;
        }

        return _slots;
    }

    /// <summary>Counts one joined outcome towards the window's realised performance.</summary>
    public void AddOutcome(Scalar actual, Scalar prediction, double? score, string? positiveClass)
    {
        switch (Task)
        {
            case ModelTask.Binary:
                bool isPositive(Scalar s) => s.ToString() == positiveClass;
                Binary!.Add(isPositive(actual), isPositive(prediction), score);
                break;
            case ModelTask.Multiclass:
                Multiclass!.Add(actual.ToString(), prediction.ToString());
                break;
            default:
                if (actual.Kind == ScalarKind.Number && prediction.Kind == ScalarKind.Number)
                    Regression!.Add(actual.Number, prediction.Number);
                break;
        }
    }

    /// <summary>Adds another partial of the same window.</summary>
    public void Merge(WindowPartial other)
    {
        if (other.Key != Key)
            throw new ArgumentException("Partials of different windows do not merge.", nameof(other));
        Rows += other.Rows;
        if (other.CarriedFrom is { } from)
            CarriedFrom = Math.Min(CarriedFrom ?? from, from);
        if (other.ReferenceVersion != ReferenceVersion || other.MixedReferences)
            MixedReferences = true;
        else if (!MixedReferences)
            Features.Merge(other.Features);
        Predictions.Merge(other.Predictions);
        Latency.Merge(other.Latency);
        Binary?.Merge(other.Binary!);
        Multiclass?.Merge(other.Multiclass!);
        Regression?.Merge(other.Regression!);
    }

    internal void Restore(long rows, NumericProfile latency, BinaryMetricsAccumulator? binary, MulticlassMetricsAccumulator? multiclass, RegressionMetricsAccumulator? regression)
    {
        Rows = rows;
        Latency = latency;
        Binary = binary ?? Binary;
        Multiclass = multiclass ?? Multiclass;
        Regression = regression ?? Regression;
    }

    private static void Add(FeatureProfile profile, Scalar value)
    {
        switch (profile)
        {
            case NumericProfile n:
                if (value.Kind == ScalarKind.Number)
                    n.Add(value.Number);
                else
                    n.AddMissing();
                break;
            case CategoricalProfile c:
                if (value.IsMissing)
                    c.AddMissing();
                else
                    c.Add(value.ToString());
                break;
        }
    }
}
