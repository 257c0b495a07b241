using Microsoft.ML;
using Microsoft.ML.Transforms;
using MlOps.Contracts.Schemas;
using MlOps.Training.Data;
using MlOps.Training.Metrics;

namespace MlOps.Training.Search;

/// <summary>K-fold cross-validation over a <see cref="FeatureTable"/>: seeded stratified folds, fitting and scoring.</summary>
internal static class CrossValidation
{
    /// <summary>
    /// The held-out rows of each of <paramref name="k"/> folds (ascending). Rows are shuffled with <paramref name="seed"/>
    /// and dealt round-robin class by class, so every fold holds each class in proportion (regression: one group).
    /// </summary>
    public static int[][] Folds(FeatureTable table, int k, int seed)
    {
        var order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        bool classification = table.Schema.Task != ModelTask.Regression;
        var folds = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        int next = 0;
        foreach (var group in order.GroupBy(row => classification ? table.Actuals[row] : string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (int row in group)
                folds[next++ % k].Add(row);
        }

        return [.. folds.Select(f => f.Order().ToArray())];
    }

    /// <summary>Every row not in <paramref name="heldOut"/> (ascending).</summary>
    public static int[] Complement(int rowCount, int[] heldOut)
    {
        var skip = new bool[rowCount];
        foreach (int row in heldOut)
            skip[row] = true;
        var rows = new int[rowCount - heldOut.Length];
        int n = 0;
        for (int row = 0; row < rowCount; row++)
        {
            if (!skip[row])
                rows[n++] = row;
        }

        return rows;
    }

    /// <summary>
    /// Fits <paramref name="candidate"/> on <paramref name="rows"/> with a fresh context seeded by the candidate, so a fit
    /// does not depend on the fits before it.
    /// </summary>
    public static ITransformer Fit(FeatureTable table, int[] rows, Candidate candidate, IReadOnlyList<FeatureSchema> features)
    {
        var ml = new MLContext(candidate.Seed);
        IDataView data = table.View(rows);
        if (table.Schema.Task == ModelTask.Multiclass)
        {
            // Outside the saved chain: the model scores rows without a label, and PredictedLabel maps back to the class text.
            data = ml.Transforms.Conversion
                .MapValueToKey(FeatureTable.LabelColumn, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Fit(data)
                .Transform(data);
        }

        return PipelineFactory.Create(ml, table.Schema.Task, candidate, features).Fit(data);
    }

    /// <summary>The metrics of <paramref name="model"/> on <paramref name="rows"/>.</summary>
    public static Dictionary<string, double> Score(ITransformer model, FeatureTable table, int[] rows) =>
        TaskMetrics.Compute(table, rows, model.Transform(table.View(rows, withLabel: false)));

    /// <summary>Per metric, the mean and sample standard deviation over the folds that report it.</summary>
    public static (Dictionary<string, double> Mean, Dictionary<string, double> Std) Aggregate(IReadOnlyList<Dictionary<string, double>> folds)
    {
        var mean = new Dictionary<string, double>(StringComparer.Ordinal);
        var std = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string metric in folds.SelectMany(f => f.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var values = folds.Where(f => f.ContainsKey(metric)).Select(f => f[metric]).ToArray();
            double m = values.Average();
            mean[metric] = m;
            std[metric] = values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Length - 1));
        }

        return (mean, std);
    }
}
