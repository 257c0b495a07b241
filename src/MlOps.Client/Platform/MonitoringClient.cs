using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;

namespace MlOps.Client.Platform;

/// <summary>
/// The monitor's HTTP API, typed: labelled examples (a prediction joined to its outcome, with its features) for
/// trainers in other processes. Same <see cref="HttpClient"/> conventions as <see cref="Registry.RegistryClient"/>.
/// </summary>
public sealed class MonitoringClient(HttpClient http)
{
    private readonly ApiTransport _api = new(http);

    /// <summary>GET /api/monitoring/{model}/examples/count: labelled examples with a prediction time in [from, to).</summary>
    public Task<LabelledExampleCount> CountExamplesAsync(string model, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _api.GetAsync($"{ExamplesPath(model)}/count?{Range(from, to)}", RegistryJsonContext.Default.LabelledExampleCount, cancellationToken);

    /// <summary>
    /// GET /api/monitoring/{model}/examples: the labelled examples with a prediction time in [from, to), oldest first,
    /// streamed (NDJSON), one JSON object per element:
    /// <c>{predictionId, model, version, timestamp, features, actual, prediction, score}</c>.
    /// </summary>
    public async IAsyncEnumerable<JsonElement> StreamExamplesAsync(string model, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ExamplesPath(model)}?{Range(from, to)}");
        using var response = await _api.SendStreamingAsync(request, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
                continue;
            using var document = JsonDocument.Parse(line);
            yield return document.RootElement.Clone();
        }
    }

    private static string ExamplesPath(string model) => $"api/monitoring/{Uri.EscapeDataString(model)}/examples";

    private static string Range(DateTimeOffset from, DateTimeOffset to) =>
        $"from={Uri.EscapeDataString(from.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(to.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))}";
}
