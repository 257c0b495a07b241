using Microsoft.ML.Data;
using MlOps.Contracts.Schemas;

namespace MlOps.Training.Data;

/// <summary>
/// Examples as columns, the way ML.NET reads them: one column per feature (numeric and boolean as <see cref="float"/>,
/// missing = NaN; categorical as text, missing = empty) plus the label. Built once; folds are row subsets of it.
/// </summary>
internal sealed class FeatureTable
{
    /// <summary>The label column's name, chosen so it cannot collide with a feature's.</summary>
    public const string LabelColumn = "__mlops_label";

    /// <summary>The assembled feature vector's name.</summary>
    public const string FeaturesColumn = "__mlops_features";

    private FeatureTable(ModelSchema schema, int rowCount)
    {
        Schema = schema;
        RowCount = rowCount;
        Columns = new Array[schema.Features.Count];
        Present = new int[schema.Features.Count];
        Actuals = new string[rowCount];
        ActualNumbers = new double[rowCount];
    }

    /// <summary>The model schema the columns follow.</summary>
    public ModelSchema Schema { get; }

    /// <summary>Rows.</summary>
    public int RowCount { get; }

    /// <summary>Per feature (schema order): <c>float[]</c> or <c>ReadOnlyMemory&lt;char&gt;[]</c>.</summary>
    public Array[] Columns { get; }

    /// <summary>Per feature, how many rows have a value.</summary>
    public int[] Present { get; }

    /// <summary>The actual label per row (classification).</summary>
    public string[] Actuals { get; }

    /// <summary>The actual number per row (regression; NaN otherwise).</summary>
    public double[] ActualNumbers { get; }

    /// <summary>The label as the trainer sees it: <c>bool[]</c> (binary), <c>ReadOnlyMemory&lt;char&gt;[]</c> (multiclass) or <c>float[]</c>.</summary>
    public Array Labels { get; private set; } = Array.Empty<bool>();

    /// <summary>The ML.NET type of <see cref="Labels"/>.</summary>
    public DataViewType LabelType => Schema.Task switch
    {
        ModelTask.Binary => BooleanDataViewType.Instance,
        ModelTask.Multiclass => TextDataViewType.Instance,
        _ => NumberDataViewType.Single,
    };

    /// <summary>The ML.NET type of a feature's column.</summary>
    public static DataViewType ColumnType(FeatureType type) =>
        type == FeatureType.Categorical ? TextDataViewType.Instance : NumberDataViewType.Single;

    /// <summary>Whether the binary label of <paramref name="actual"/> is positive, as the monitor decides it.</summary>
    public static bool IsPositive(ModelSchema schema, string actual) => string.Equals(actual, schema.PositiveClass, StringComparison.Ordinal);

    /// <summary>Builds the columns; values of the wrong type (which preparation drops) read as missing.</summary>
    public static FeatureTable Build(ModelSchema schema, IReadOnlyList<LabelledExample> examples)
    {
        int n = examples.Count;
        var table = new FeatureTable(schema, n);
        var features = schema.Features;
        for (int f = 0; f < features.Count; f++)
        {
            table.Columns[f] = features[f].Type == FeatureType.Categorical ? new ReadOnlyMemory<char>[n] : new float[n];
        }

        for (int i = 0; i < n; i++)
        {
            var example = examples[i];
            for (int f = 0; f < features.Count; f++)
            {
                example.Features.TryGetValue(features[f].Name, out object? value);
                bool present = FeatureValue.Read(value, features[f].Type, out float number, out string? text) == FeatureValueKind.Present;
                if (present)
                    table.Present[f]++;
                if (table.Columns[f] is float[] numbers)
                    numbers[i] = present ? number : float.NaN;
                else
                    ((ReadOnlyMemory<char>[])table.Columns[f])[i] = present ? text.AsMemory() : ReadOnlyMemory<char>.Empty;
            }

            table.Actuals[i] = example.Actual ?? string.Empty;
            table.ActualNumbers[i] = example.ActualNumber ?? double.NaN;
        }

        table.Labels = schema.Task switch
        {
            ModelTask.Binary => Array.ConvertAll(table.Actuals, a => IsPositive(schema, a)),
            ModelTask.Multiclass => Array.ConvertAll(table.Actuals, a => a.AsMemory()),
            _ => Array.ConvertAll(table.ActualNumbers, a => (float)a),
        };
        return table;
    }

    /// <summary>A view of some rows (all when <paramref name="rows"/> is null), with or without the label column.</summary>
    public FeatureTableView View(int[]? rows = null, bool withLabel = true) =>
        new(this, rows ?? [.. Enumerable.Range(0, RowCount)], withLabel);
}
