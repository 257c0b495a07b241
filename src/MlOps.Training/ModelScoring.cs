using Microsoft.ML;
using MlOps.Contracts.Schemas;
using MlOps.Training.Data;
using MlOps.Training.Metrics;

namespace MlOps.Training;

/// <summary>Scores a model zip made by <see cref="ModelTrainer"/> on labelled examples (challenger vs champion, on the same rows).</summary>
public static class ModelScoring
{
    /// <summary>
    /// The model's metrics on <paramref name="examples"/>: the same names and computation as
    /// <see cref="TrainingResult.TestMetrics"/> (binary: accuracy, precision, recall, f1, roc_auc, log_loss, brier;
    /// multiclass: accuracy and macro precision/recall/f1; regression: mae, rmse, r2, mean_error).
    /// </summary>
    /// <remarks>
    /// Examples that <see cref="TrainingDataPreparation.Prepare"/> would drop as invalid are skipped (duplicates are not
    /// looked for). No usable example gives an empty dictionary, as the monitor reports a window without outcomes.
    /// </remarks>
    /// <exception cref="TrainingException">
    /// The bytes are not a loadable ML.NET model, or its input schema is not one column per feature of
    /// <paramref name="schema"/> with the feature's type, or it lacks the task's output column.
    /// </exception>
    public static IReadOnlyDictionary<string, double> Evaluate(ModelSchema schema, byte[] modelZip, IReadOnlyList<LabelledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(modelZip);
        ArgumentNullException.ThrowIfNull(examples);
        var ml = new MLContext(seed: 0);
        var model = ModelFile.Load(ml, modelZip, out var inputSchema);
        CheckInputSchema(schema, inputSchema);
        var usable = examples.Where(e => TrainingDataPreparation.Problem(schema, e) is null).ToList();
        if (usable.Count == 0)
            return new Dictionary<string, double>(StringComparer.Ordinal);
        var table = FeatureTable.Build(schema, usable);
        var view = table.View(withLabel: false);
        try
        {
            return TaskMetrics.Compute(table, view.Rows, model.Transform(view));
        }
        catch (Exception ex) when (ex is not TrainingException and not OutOfMemoryException)
        {
            throw new TrainingException($"The model could not score the examples ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }

    private static void CheckInputSchema(ModelSchema schema, DataViewSchema input)
    {
        var problems = new List<string>();
        foreach (var feature in schema.Features)
        {
            var expected = FeatureTable.ColumnType(feature.Type);
            if (input.GetColumnOrNull(feature.Name) is not { } column)
                problems.Add($"no column '{feature.Name}'");
            else if (!column.Type.Equals(expected))
                problems.Add($"column '{feature.Name}' is {column.Type}, not {expected}");
        }

        foreach (var column in input)
        {
            if (!column.IsHidden && !schema.TryGetFeature(column.Name, out _))
                problems.Add($"column '{column.Name}' is not a feature of the schema");
        }

        if (problems.Count > 0)
            throw new TrainingException($"The model's input schema does not fit model '{schema.Model}': {string.Join("; ", problems)}.");
    }
}
