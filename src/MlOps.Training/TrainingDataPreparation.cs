using MlOps.Contracts.Schemas;
using MlOps.Training.Data;

namespace MlOps.Training;

/// <summary>Turns raw labelled examples into the time-ordered train/validation/test splits training uses.</summary>
public static class TrainingDataPreparation
{
    /// <summary>
    /// De-duplicates by prediction id (the first example is kept), drops invalid examples (counted by reason, see
    /// <see cref="DropReasons"/>), sorts the rest by timestamp (ties by prediction id, ordinal) and splits them: the oldest
    /// 80 % train, the next 10 % validation, the newest 10 % test, so no split holds an example newer than a later split's.
    /// </summary>
    /// <remarks>
    /// Labels are judged as the monitor judges them: for a binary model an actual equal to the positive class is positive,
    /// any other is negative, unless the schema declares its classes, which the actual must then be one of (as for a
    /// multiclass model). Features the schema does not declare are ignored.
    /// </remarks>
    public static TrainingData Prepare(ModelSchema schema, IEnumerable<LabelledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(examples);
        var dropped = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var valid = new List<LabelledExample>();
        foreach (var example in examples)
        {
            ArgumentNullException.ThrowIfNull(example);
            string? reason = seen.Add(example.PredictionId) ? Problem(schema, example) : DropReasons.Duplicate;
            if (reason is null)
                valid.Add(example);
            else
                dropped[reason] = dropped.GetValueOrDefault(reason) + 1;
        }

        valid.Sort(static (a, b) =>
        {
            int byTime = a.Timestamp.CompareTo(b.Timestamp);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.PredictionId, b.PredictionId);
        });

        int n = valid.Count;
        int trainEnd = (int)(n * 8L / 10);
        int validationEnd = (int)(n * 9L / 10);
        return new TrainingData(
            valid.GetRange(0, trainEnd),
            valid.GetRange(trainEnd, validationEnd - trainEnd),
            valid.GetRange(validationEnd, n - validationEnd),
            dropped);
    }

    /// <summary>Why <paramref name="example"/> cannot be trained or scored on, or null when it can.</summary>
    internal static string? Problem(ModelSchema schema, LabelledExample example)
    {
        if (LabelProblem(schema, example) is { } reason)
            return reason;
        foreach (var feature in schema.Features)
        {
            if (example.Features.TryGetValue(feature.Name, out object? value)
                && FeatureValue.Read(value, feature.Type, out _, out _) == FeatureValueKind.WrongType)
            {
                return DropReasons.WrongFeatureType;
            }
        }

        return null;
    }

    private static string? LabelProblem(ModelSchema schema, LabelledExample example)
    {
        if (schema.Task == ModelTask.Regression)
        {
            return example.ActualNumber switch
            {
                null => DropReasons.MissingActual,
                { } v when !double.IsFinite(v) => DropReasons.NonFiniteActual,
                _ => null,
            };
        }

        if (string.IsNullOrEmpty(example.Actual))
            return DropReasons.MissingActual;
        return schema.IsAllowedClass(example.Actual) ? null : DropReasons.UnknownClass;
    }
}
