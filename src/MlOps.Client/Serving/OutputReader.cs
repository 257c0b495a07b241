using System.Reflection;
using Microsoft.ML.Data;
using MlOps.Client.Logging;
using MlOps.Contracts;
using MlOps.Contracts.Schemas;

namespace MlOps.Client.Serving;

/// <summary>
/// Reads the logged prediction and score out of an ML.NET output object by the columns the trainer writes:
/// binary <c>PredictedLabel</c> (bool) and <c>Probability</c>; multiclass <c>PredictedLabel</c> (the class text); regression
/// <c>Score</c>. Members are found by ML.NET's <c>[ColumnName]</c>, else by name.
/// </summary>
internal sealed class OutputReader<TOutput>
{
    private const string PredictedLabel = "PredictedLabel";
    private const string Probability = "Probability";
    private const string Score = "Score";

    private readonly Func<TOutput, (Scalar Prediction, double? Score)> _read;

    public OutputReader(ModelSchema schema)
    {
        var label = Find(PredictedLabel);
        var probability = Find(Probability);
        var score = Find(Score);
        string Missing(string column) =>
            $"{typeof(TOutput).Name} has no member for the column '{column}' (name it so or mark it [ColumnName(\"{column}\")]), which a {schema.Task.ToString().ToLowerInvariant()} model's prediction is read from";
        switch (schema.Task)
        {
            case ModelTask.Binary:
                string positive = schema.PositiveClass!;
                string negative = NegativeClass(schema);
                if (label is null && probability is null)
                    throw new ArgumentException(Missing(PredictedLabel));
                _read = output =>
                {
                    double? p = probability is null ? null : Number(probability.Get(output));
                    bool positiveLabel = label is not null ? IsTrue(label.Get(output)) : p >= 0.5;
                    return (positiveLabel ? positive : negative, p is { } v && v is >= 0 and <= 1 ? v : null);
                };
                break;
            case ModelTask.Multiclass:
                if (label is null)
                    throw new ArgumentException(Missing(PredictedLabel));
                _read = output => (FeatureExtractor.ToScalar(label.Get(output), PredictedLabel) is var s && s.Kind == ScalarKind.Text ? s : Scalar.Of(s.ToString()), null);
                break;
            default:
                if (score is null)
                    throw new ArgumentException(Missing(Score));
                _read = output => (Scalar.Of(Number(score.Get(output)) ?? double.NaN), null);
                break;
        }
    }

    public (Scalar Prediction, double? Score) Read(TOutput output) => _read(output);

    /// <summary>A binary model's other class: the declared class that is not positive, else the usual complement of 1/true/yes.</summary>
    private static string NegativeClass(ModelSchema schema)
    {
        string positive = schema.PositiveClass!;
        if (schema.Classes is { Count: 2 } classes)
            return classes[0] == positive ? classes[1] : classes[0];
        return positive switch
        {
            "1" => "0",
            "true" => "false",
            "True" => "False",
            "yes" => "no",
            _ => throw new ArgumentException($"model '{schema.Model}' declares no classes, so the label of a negative prediction is unknown (positive class '{positive}'); declare both classes in its schema"),
        };
    }

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        null => false,
        _ => Number(value) is > 0.5,
    };

    private static double? Number(object? value) => value switch
    {
        float f => f,
        double d => d,
        null => null,
        IConvertible c => c.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static Accessor? Find(string column)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var members = typeof(TOutput).GetProperties(flags).Where(p => p.CanRead).Cast<MemberInfo>().Concat(typeof(TOutput).GetFields(flags)).ToList();
        var member = members.FirstOrDefault(m => ColumnName(m) == column)
            ?? members.FirstOrDefault(m => ColumnName(m) is null && m.Name == column);
        return member is null ? null : new Accessor(member);
    }

    private static string? ColumnName(MemberInfo member) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(ColumnNameAttribute))?.ConstructorArguments is [{ Value: string name }] ? name : null;

    private sealed class Accessor(MemberInfo member)
    {
        public object? Get(TOutput output) => member is PropertyInfo p ? p.GetValue(output) : ((FieldInfo)member).GetValue(output);
    }
}
