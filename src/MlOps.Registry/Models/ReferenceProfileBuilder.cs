using System.Globalization;
using System.Text;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Profiles;
using Sylvan.Data.Csv;

namespace MlOps.Registry.Models;

/// <summary>
/// Builds a model's reference profile from training data given as CSV (a header row, one column per schema feature):
/// numeric features are profiled in two passes with Evidently's binning; categorical and boolean ones by label.
/// </summary>
public static class ReferenceProfileBuilder
{
    /// <summary>Builds the profile; a bad file raises a 400 naming the line and column.</summary>
    public static async Task<DatasetProfile> BuildAsync(Stream csv, ModelSchema schema, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        CsvDataReader reader;
        try
        {
            reader = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        }
        catch (Exception e) when (e is CsvFormatException or CsvMissingHeadersException)
        {
            throw RegistryException.Invalid("reference", $"The reference CSV has no readable header row: {e.Message}");
        }

        await using (reader)
        {
            var ordinals = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < reader.FieldCount; i++)
                ordinals[reader.GetName(i)] = i;
            var missingColumns = schema.Features.Where(f => !ordinals.ContainsKey(f.Name)).Select(f => f.Name).ToList();
            if (missingColumns.Count > 0)
                throw RegistryException.Invalid("reference", $"The reference CSV lacks the schema feature column(s): {string.Join(", ", missingColumns)}.");

            var numbers = new Dictionary<string, List<double>>();
            var missing = new Dictionary<string, long>();
            var categorical = new Dictionary<string, CategoricalProfile>();
            foreach (var f in schema.Features)
            {
                missing[f.Name] = 0;
                if (f.Type == FeatureType.Numeric)
                    numbers[f.Name] = [];
                else
                    categorical[f.Name] = new CategoricalProfile();
            }

            long rows = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                foreach (var f in schema.Features)
                {
                    int ordinal = ordinals[f.Name];
                    var field = ordinal < reader.RowFieldCount ? reader.GetFieldSpan(ordinal).Trim() : [];
                    if (MissingValues.IsMissing(field))
                    {
                        missing[f.Name]++;
                        continue;
                    }

                    if (f.Type == FeatureType.Numeric)
                    {
                        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                            throw RegistryException.Invalid("reference", $"Reference CSV line {rows + 1}, column '{f.Name}': '{field.ToString()}' is not a number, but the schema says the feature is numeric.");
                        numbers[f.Name].Add(v);
                    }
                    else if (f.Type == FeatureType.Boolean)
                    {
                        categorical[f.Name].Add(NormalizeBoolean(field, f.Name, rows + 1));
                    }
                    else
                    {
                        categorical[f.Name].Add(field);
                    }
                }
            }

            if (rows == 0)
                throw RegistryException.Invalid("reference", "The reference CSV has a header but no rows.");
            var profile = new DatasetProfile();
            foreach (var f in schema.Features)
            {
                FeatureProfile feature = f.Type == FeatureType.Numeric
                    ? NumericProfile.Build(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(numbers[f.Name]), missing[f.Name])
                    : categorical[f.Name];
                if (f.Type != FeatureType.Numeric)
                    feature.AddMissing(missing[f.Name]);
                profile.AddFeature(f.Name, feature);
            }

            profile.AddRows(rows);
            return profile;
        }
    }

    // Booleans compare as the labels the monitor sees in events: "true" / "false".
    private static string NormalizeBoolean(ReadOnlySpan<char> field, string column, long line)
    {
        if (field.Equals("true", StringComparison.OrdinalIgnoreCase) || field.SequenceEqual("1"))
            return "true";
        if (field.Equals("false", StringComparison.OrdinalIgnoreCase) || field.SequenceEqual("0"))
            return "false";
        throw RegistryException.Invalid("reference", $"Reference CSV line {line}, column '{column}': '{field.ToString()}' is not a boolean (true/false/1/0).");
    }
}
