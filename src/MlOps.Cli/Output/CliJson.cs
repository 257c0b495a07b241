using System.Text.Json.Serialization;

namespace MlOps.Cli.Output;

// The JSON documents the CLI prints. Their shapes are promises to scripts: add fields, never rename.

internal sealed record DriftReportJson(
    long ReferenceRows,
    long CurrentRows,
    IReadOnlyList<FeatureDriftJson> Features,
    double DriftedShare,
    bool DatasetDrift);

/// <summary><c>drift --method a,b</c>: one <see cref="MethodDriftJson"/> per method, and whether any method's dataset drifts.</summary>
internal sealed record MultiMethodDriftJson(
    long ReferenceRows,
    long CurrentRows,
    IReadOnlyList<MethodDriftJson> Methods,
    bool DatasetDrift);

/// <summary>What <c>drift --method NAME</c> alone prints, with the method's name first.</summary>
internal sealed record MethodDriftJson(
    string Method,
    long ReferenceRows,
    long CurrentRows,
    IReadOnlyList<FeatureDriftJson> Features,
    double DriftedShare,
    bool DatasetDrift)
{
    public static MethodDriftJson From(string method, DriftReportJson drift) =>
        new(method, drift.ReferenceRows, drift.CurrentRows, drift.Features, drift.DriftedShare, drift.DatasetDrift);
}

internal sealed record FeatureDriftJson(
    string Name,
    string Type,
    string Method,
    double Statistic,
    double? PValue,
    double Threshold,
    bool Drifted);

internal sealed record EvaluationJson
{
    public required string Task { get; init; }

    public required long Rows { get; init; }

    public long SkippedRows { get; init; }

    public double? Accuracy { get; init; }

    public double? Precision { get; init; }

    public double? Recall { get; init; }

    public double? F1 { get; init; }

    public double? RocAuc { get; init; }

    public double? LogLoss { get; init; }

    public double? Brier { get; init; }

    public ConfusionMatrixJson? ConfusionMatrix { get; init; }

    public double? MacroPrecision { get; init; }

    public double? MacroRecall { get; init; }

    public double? MacroF1 { get; init; }

    public double? Mae { get; init; }

    public double? Rmse { get; init; }

    public double? R2 { get; init; }

    public double? MeanError { get; init; }
}

internal sealed record ConfusionMatrixJson(long Tn, long Fp, long Fn, long Tp);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DriftReportJson))]
[JsonSerializable(typeof(MultiMethodDriftJson))]
internal sealed partial class DriftJsonContext : JsonSerializerContext;

// Evaluation prints only the metrics that apply to the task.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EvaluationJson))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;
