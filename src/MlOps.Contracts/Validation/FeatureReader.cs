using System.Text.Json;
using MlOps.Contracts.Events;
using MlOps.Contracts.Schemas;
using static MlOps.Contracts.Validation.RejectReason;

namespace MlOps.Contracts.Validation;

/// <summary>Reads the <c>features</c> and <c>tags</c> objects of a pre-scanned record, reporting every problem.</summary>
internal static class FeatureReader
{
    private const string FeaturesField = "features";
    private const string TagsField = "tags";

    /// <summary>
    /// Checks each feature against the schema: declared name, JSON type matching the feature type (categorical
    /// accepts strings only), required features present and not null. Without a schema only the shape is checked.
    /// </summary>
    public static IReadOnlyDictionary<string, Scalar>? ReadFeatures(ref Utf8JsonReader reader, ErrorSink errors, ModelSchema? schema)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            errors.Add(MissingField, FeaturesField, "features is null");
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            FieldReader.WrongType(ref reader, errors, FeaturesField, "an object");
            return null;
        }

        // With a schema, the values go by position into a vector of the schema's features (no hashing, one array);
        // without one, into a dictionary by name.
        var vector = schema is null ? null : new FeatureVector(schema.FeatureLayout);
        var byName = schema is null ? new Dictionary<string, Scalar>(StringComparer.Ordinal) : null;
        int next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A declared name is matched in UTF-8 and keyed by the schema's own string: no string per feature.
            FeatureSchema? feature = null;
            int position = -1;
            bool declared = schema is not null && schema.TryMatchFeature(ref reader, ref next, out feature, out position);
            var name = declared ? feature!.Name! : reader.GetString()!;
            reader.Read();
            if (schema is not null && !declared)
            {
                errors.Add(UnknownFeature, Path(name), $"feature '{FieldReader.Truncate(name)}' is not in the schema of model '{schema.Model}'");
                FieldReader.SkipValue(ref reader);
                continue;
            }

            // An invalid value is still recorded (as missing) so that presence and duplicates are judged once.
            var value = ReadFeatureValue(ref reader, errors, name, feature);
            if (!(vector?.TryAdd(position, value) ?? byName!.TryAdd(name, value)))
            {
                errors.Add(InvalidValue, Path(name), $"feature '{FieldReader.Truncate(name)}' appears more than once");
            }
        }

        if (vector is not null)
        {
            foreach (var feature in schema!.Features ?? [])
            {
                if (feature is { Required: true, Name: { } required } && !vector.ContainsKey(required))
                {
                    errors.Add(MissingField, Path(required), $"required feature '{required}' is absent");
                }
            }
        }

        return (IReadOnlyDictionary<string, Scalar>?)vector ?? byName;
    }

    /// <summary>Optional string → string labels; <c>null</c> means absent.</summary>
    public static Dictionary<string, string>? ReadTags(ref Utf8JsonReader reader, ErrorSink errors)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            FieldReader.WrongType(ref reader, errors, TagsField, "an object");
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                FieldReader.WrongType(ref reader, errors, TagsField + "." + name, "a string");
                continue;
            }

            if (!tags.TryAdd(name, reader.GetString()!))
            {
                errors.Add(InvalidValue, TagsField + "." + name, $"tag '{FieldReader.Truncate(name)}' appears more than once");
            }
        }

        return tags;
    }

    private static Scalar ReadFeatureValue(ref Utf8JsonReader reader, ErrorSink errors, string name, FeatureSchema? feature)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            if (feature is { Required: true })
            {
                errors.Add(MissingField, Path(name), $"required feature '{name}' is null");
            }

            return Scalar.Missing;
        }

        var type = feature?.Type;
        switch (token)
        {
            case JsonTokenType.Number when type is null or FeatureType.Numeric:
                if (reader.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return Scalar.Of(number);
                }

                errors.Add(InvalidValue, Path(name), "number is outside the range of a double");
                return Scalar.Missing;
            case JsonTokenType.String when type is null or FeatureType.Categorical:
                return Scalar.Of(reader.GetString());
            case JsonTokenType.True or JsonTokenType.False when type is null or FeatureType.Boolean:
                return Scalar.Of(token == JsonTokenType.True);
            default:
                var expected = type switch
                {
                    FeatureType.Numeric => "a number (numeric feature)",
                    FeatureType.Categorical => "a string (categorical feature)",
                    FeatureType.Boolean => "true or false (boolean feature)",
                    _ => "a number, string, boolean or null",
                };
                FieldReader.WrongType(ref reader, errors, Path(name), expected);
                return Scalar.Missing;
        }
    }

    private static string Path(string name) => FeaturesField + "." + name;
}
