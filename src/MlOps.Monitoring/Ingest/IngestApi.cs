using System.Buffers;
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Validation;
using MlOps.Hosting.Security;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Metrics;

namespace MlOps.Monitoring.Ingest;

/// <summary>
/// HTTP ingest for apps that cannot speak Kafka: <c>POST /api/ingest/predictions</c> and <c>/api/ingest/outcomes</c>
/// take a JSON array or NDJSON of the documented events (role <c>producer</c>, or admin), judge each record with
/// the monitor's own validator and produce the accepted ones, byte for byte, to the topics. The answer (200 even when
/// some records are rejected) is one <c>{index, status, reason?, detail?}</c> per record, in order; status is
/// <c>accepted</c> (acknowledged by Kafka), <c>rejected</c> (the validator's reason code; fix and resend) or
/// <c>failed</c> (Kafka did not acknowledge it in time; resend — a predictionId is counted once).
/// </summary>
public static class IngestApi
{
    /// <summary>Statuses of a record in the answer.</summary>
    public static class Status
    {
        public const string Accepted = "accepted";
        public const string Rejected = "rejected";
        public const string Failed = "failed";
    }

    /// <summary>Reason of a <see cref="Status.Failed"/> record.</summary>
    public const string Unavailable = "unavailable";

    private static readonly string[] NdjsonTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"];

    // A request names at most this many unknown models that are looked up in the registry (a model registered a
    // moment ago is accepted; a flood of invented names does not become a flood of registry calls).
    private const int MaxLookups = 5;

    public static void MapIngestApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/ingest").WithTags("Ingest").RequireAuthorization(Roles.CanIngest);
        group.MapPost("/predictions", (HttpContext http, IModelCatalog catalog, IngestProducer producer, IOptions<MonitoringOptions> options, CancellationToken ct) =>
            IngestAsync(IngestKind.Predictions, http, catalog, producer, options.Value, ct));
        group.MapPost("/outcomes", (HttpContext http, IModelCatalog catalog, IngestProducer producer, IOptions<MonitoringOptions> options, CancellationToken ct) =>
            IngestAsync(IngestKind.Outcomes, http, catalog, producer, options.Value, ct));
    }

    private static async Task<IResult> IngestAsync(IngestKind kind, HttpContext http, IModelCatalog catalog, IngestProducer producer, MonitoringOptions options, CancellationToken ct)
    {
        if (http.Request.ContentLength > options.IngestMaxBodyBytes)
            return TooLarge(options);
        var (body, complete) = await ReadBodyAsync(http.Request, options.IngestMaxBodyBytes, ct);
        if (!complete)
            return TooLarge(options);
        bool? ndjson = IsNdjson(http.Request.ContentType, body.Span);
        if (ndjson is null)
            return TypedResults.Problem(
                $"Send a JSON array of records as application/json, or one record per line as application/x-ndjson (was '{http.Request.ContentType}').",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported body");

        var (items, error, tooMany) = IngestBody.Split(body, ndjson.Value, options.IngestMaxItems);
        if (error is not null)
        {
            return TypedResults.Problem(error, statusCode: tooMany ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                title: tooMany ? "Too many records" : "Malformed body");
        }

        var results = await JudgeAsync(kind, items, catalog, ct);

        var accepted = new List<int>();
        var records = new List<(string Key, ReadOnlyMemory<byte> Value)>();
        for (int i = 0; i < items.Count; i++)
        {
            if (results[i].Key is { } key)
            {
                accepted.Add(i);
                records.Add((key, items[i]));
            }
        }

        var answer = new IngestItemResult[items.Count];
        for (int i = 0; i < items.Count; i++)
            answer[i] = results[i].Rejection ?? new IngestItemResult(i, Status.Accepted);
        if (records.Count > 0)
        {
            string?[] failures;
            try
            {
                failures = await producer.ProduceAsync(kind, records, ct);
            }
            catch (TimeoutException)
            {
                failures = [.. records.Select(_ => "no acknowledgement from Kafka in time")];
            }

            for (int j = 0; j < accepted.Count; j++)
            {
                if (failures[j] is { } reason)
                    answer[accepted[j]] = new IngestItemResult(accepted[j], Status.Failed, Unavailable, reason);
            }
        }

        string endpoint = kind == IngestKind.Predictions ? "predictions" : "outcomes";
        foreach (var group in answer.GroupBy(a => (a.Status, Reason: a.Reason ?? "")))
            MonitoringMetrics.IngestedRecords.WithLabels(endpoint, group.Key.Status, group.Key.Reason).Inc(group.Count());
        http.Response.Headers["X-MlOps-Accepted"] = answer.Count(a => a.Status == Status.Accepted).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-MlOps-Rejected"] = answer.Count(a => a.Status == Status.Rejected).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-MlOps-Failed"] = answer.Count(a => a.Status == Status.Failed).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(answer, IngestJsonContext.Default.IngestItemResultArray);
    }

    /// <summary>
    /// Per item: the Kafka key (predictionId) when valid, else the rejection. A record of a model the catalog does not
    /// know yet (registered since its last refresh) is judged again after the registry is read once more for it.
    /// </summary>
    internal static async Task<(string? Key, IngestItemResult? Rejection, string? UnknownModel)[]> JudgeAsync(IngestKind kind, List<ReadOnlyMemory<byte>> items, IModelCatalog catalog, CancellationToken ct)
    {
        var results = Judge(kind, items, catalog);
        await RetryUnknownModelsAsync(kind, items, results, catalog, ct);
        return results;
    }

    private static (string? Key, IngestItemResult? Rejection, string? UnknownModel)[] Judge(IngestKind kind, List<ReadOnlyMemory<byte>> items, IModelCatalog catalog)
    {
        var validator = new EventValidator(name => catalog.Find(name)?.Schema);
        var results = new (string?, IngestItemResult?, string?)[items.Count];
        for (int i = 0; i < items.Count; i++)
            results[i] = JudgeOne(kind, validator, items[i].Span, i);
        return results;
    }

    private static (string? Key, IngestItemResult? Rejection, string? UnknownModel) JudgeOne(IngestKind kind, EventValidator validator, ReadOnlySpan<byte> item, int index)
    {
        if (kind == IngestKind.Predictions)
        {
            var prediction = validator.ValidatePrediction(item);
            return prediction.Value is { } p ? (p.PredictionId, null, null) : (null, Rejected(index, prediction.Errors), prediction.UnknownModel);
        }

        var outcome = validator.ValidateOutcome(item);
        return outcome.Value is { } o ? (o.PredictionId, null, null) : (null, Rejected(index, outcome.Errors), outcome.UnknownModel);
    }

    // A model registered since the catalog's last refresh: read it and judge its records again.
    private static async Task RetryUnknownModelsAsync(IngestKind kind, List<ReadOnlyMemory<byte>> items, (string? Key, IngestItemResult? Rejection, string? UnknownModel)[] results, IModelCatalog catalog, CancellationToken ct)
    {
        var unknown = results.Where(r => r.Rejection?.Reason == RejectReason.UnknownModel && r.UnknownModel is { Length: > 0 })
            .Select(r => r.UnknownModel!).Distinct(StringComparer.Ordinal).Take(MaxLookups).ToList();
        if (unknown.Count == 0)
            return;
        foreach (string model in unknown)
        {
            try
            {
                await catalog.RefreshAsync(model, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or Client.MlOpsApiException or InvalidOperationException)
            {
                // The records stay rejected as unknown_model, with the validator's detail.
            }
        }

        var validator = new EventValidator(name => catalog.Find(name)?.Schema);
        for (int i = 0; i < items.Count; i++)
        {
            if (results[i].Rejection?.Reason == RejectReason.UnknownModel && results[i].UnknownModel is { } m && unknown.Contains(m))
                results[i] = JudgeOne(kind, validator, items[i].Span, i);
        }
    }

    private static IngestItemResult Rejected(int index, IReadOnlyList<ValidationError> errors) =>
        new(index, Status.Rejected, errors[0].Code, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));

    private static IResult TooLarge(MonitoringOptions options) => TypedResults.Problem(
        $"The body is larger than {options.IngestMaxBodyBytes} bytes (MlOps:Monitoring:IngestMaxBodyBytes); split the batch.",
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

    // NDJSON by content type; without a usable one, by the first byte ('[' an array, '{' lines).
    private static bool? IsNdjson(string? contentType, ReadOnlySpan<byte> body)
    {
        string type = (contentType ?? "").Split(';')[0].Trim();
        if (NdjsonTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            return true;
        if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            return false;
        if (type.Length > 0 && !type.Equals("text/plain", StringComparison.OrdinalIgnoreCase) && !type.Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase))
            return null;
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return trimmed.IsEmpty ? false : trimmed[0] switch
        {
            (byte)'[' => false,
            (byte)'{' => true,
            _ => null,
        };
    }

    // The body, up to limit bytes; complete is false when it is longer.
    private static async Task<(ReadOnlyMemory<byte> Body, bool Complete)> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var n && n <= limit ? (int)n : 64 * 1024);
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            int read = await request.Body.ReadAsync(memory, ct);
            if (read == 0)
                return (buffer.WrittenMemory, true);
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
                return (ReadOnlyMemory<byte>.Empty, false);
        }
    }
}

/// <summary>One record's fate in an ingest answer.</summary>
/// <param name="Index">Its position in the request (0-based; NDJSON blank lines are not counted).</param>
/// <param name="Status"><c>accepted</c>, <c>rejected</c> or <c>failed</c>.</param>
/// <param name="Reason">The validator's reason code (<c>missing_field</c>, <c>unknown_model</c>…), or <c>unavailable</c>.</param>
/// <param name="Detail">What exactly is wrong, for a person.</param>
public sealed record IngestItemResult(int Index, string Status, string? Reason = null, string? Detail = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestItemResult[]))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
