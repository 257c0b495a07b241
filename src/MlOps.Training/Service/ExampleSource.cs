using System.Globalization;
using System.Text.Json;

namespace MlOps.Training.Service;

/// <summary>A labelled example as the monitor logged it: the example plus the serving model's prediction and score.</summary>
/// <param name="Example">Features, actual, version and time.</param>
/// <param name="Prediction">What the serving version predicted.</param>
/// <param name="Score">Its positive-class score, if sent.</param>
public sealed record LoggedExample(LabelledExample Example, string Prediction, double? Score);

/// <summary>Reads a model's labelled examples from the monitor's API.</summary>
public static class ExampleSource
{
    /// <summary>The examples with a prediction time in [from, to), oldest first; the newest <paramref name="max"/> if there are more.</summary>
    public static async Task<IReadOnlyList<LoggedExample>> ReadAsync(TrainingGateway gateway, string model, DateTimeOffset from, DateTimeOffset to, int max, CancellationToken cancellationToken)
    {
        var rows = new Queue<LoggedExample>();
        await foreach (var e in gateway.Monitoring.StreamExamplesAsync(model, from, to, cancellationToken))
        {
            rows.Enqueue(Parse(e));
            if (rows.Count > max)
                rows.Dequeue();
        }

        return [.. rows];
    }

    /// <summary>One NDJSON line of <c>GET /api/monitoring/{model}/examples</c>.</summary>
    public static LoggedExample Parse(JsonElement e)
    {
        var features = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (e.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in f.EnumerateObject())
            {
                features[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                };
            }
        }

        var actual = e.GetProperty("actual");
        double? actualNumber = actual.ValueKind == JsonValueKind.Number ? actual.GetDouble() : null;
        string actualText = actual.ValueKind switch
        {
            JsonValueKind.Number => actual.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            JsonValueKind.String => actual.GetString() ?? "",
            _ => "",
        };
        var example = new LabelledExample(
            e.GetProperty("predictionId").GetString() ?? "",
            e.GetProperty("version").GetString() ?? "",
            e.GetProperty("timestamp").GetDateTimeOffset(),
            features,
            actualText,
            actualNumber);
        double? score = e.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null;
        return new LoggedExample(example, e.TryGetProperty("prediction", out var pr) ? pr.GetString() ?? "" : "", score);
    }
}
