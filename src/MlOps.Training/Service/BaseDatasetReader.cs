using System.Globalization;
using System.Text;
using MlOps.Contracts.Schemas;
using Sylvan.Data.Csv;

namespace MlOps.Training.Service;

/// <summary>
/// Reads a model's base dataset (CSV: one column per feature, the label in <c>actual</c>) as labelled examples older
/// than any the monitor collected. Values are typed by the schema; one that does not parse is kept as text, so
/// preparation drops its row as <c>wrong_feature_type</c> like any other bad row.
/// </summary>
public static class BaseDatasetReader
{
    /// <summary>The prediction-id prefix and version of base rows.</summary>
    public const string Source = "base";

    /// <summary>Every row of <paramref name="csv"/>.</summary>
    public static async Task<IReadOnlyList<LabelledExample>> ReadAsync(ModelSchema schema, Stream csv, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        await using var reader = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        var ordinals = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.Ordinal);
        int label = ordinals.TryGetValue("actual", out int l) ? l : throw new TrainingException("The base dataset has no 'actual' column.");
        var rows = new List<LabelledExample>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var features = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var f in schema.Features)
            {
                if (ordinals.TryGetValue(f.Name, out int i))
                    features[f.Name] = Value(f.Type, reader.GetString(i));
            }

            string actual = reader.GetString(label).Trim();
            double? number = double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) ? n : null;
            // Older than every monitored example, in file order: the time split keeps them all in training.
            rows.Add(new LabelledExample($"{Source}-{rows.Count + 1}", Source, DateTimeOffset.UnixEpoch.AddMilliseconds(rows.Count), features, actual, number));
        }

        return rows;
    }

    private static object? Value(FeatureType type, string field)
    {
        field = field.Trim();
        if (field.Length == 0)
            return null;
        return type switch
        {
            FeatureType.Numeric => double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : field,
            FeatureType.Boolean => field.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => field,
            },
            _ => field,
        };
    }
}
