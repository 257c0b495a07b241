using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Retraining;
using MlOps.Notifications.Delivery;

namespace MlOps.Notifications;

/// <summary>
/// Turns the platform's events into alerts: <see cref="DriftDetected"/> one per drifted feature,
/// <see cref="PerformanceDegraded"/> per metric, <see cref="DataQualityDegraded"/> per problem,
/// <see cref="RetrainingFailed"/> per step, <see cref="PromotionRequested"/> per request. The message id (stable
/// across the monitor's outbox relays) makes a redelivery a no-op.
/// </summary>
public sealed class AlertConsumers(AlertRecorder recorder) :
    IConsumer<DriftDetected>,
    IConsumer<PerformanceDegraded>,
    IConsumer<DataQualityDegraded>,
    IConsumer<RetrainingFailed>,
    IConsumer<PromotionRequested>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public Task Consume(ConsumeContext<DriftDetected> context)
    {
        var m = context.Message;
        return Record(context, [.. m.DriftedFeatures.Select(f => Alert(context, AlertKinds.Drift, m.Model, f,
            string.Create(CultureInfo.InvariantCulture, $"{f} drifted in {m.Model} version {m.Version}, window {m.WindowStart:u}–{m.WindowEnd:u} ({m.DriftedShare:P0} of features drifted)")))]);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<PerformanceDegraded> context)
    {
        var m = context.Message;
        return Record(context, [Alert(context, AlertKinds.Performance, m.Model, m.Metric,
            string.Create(CultureInfo.InvariantCulture, $"{m.Metric} of {m.Model} version {m.Version} is {m.Value:0.####}, below its baseline {m.Baseline:0.####} (window {m.WindowStart:u}, {m.LabelledRows} labelled)"))]);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<DataQualityDegraded> context)
    {
        var m = context.Message;
        return Record(context, [.. m.Problems.Select(p => Alert(context, AlertKinds.DataQuality, m.Model, p,
            string.Create(CultureInfo.InvariantCulture, $"data quality of {m.Model} version {m.Version} in window {m.WindowStart:u}: {p}")))]);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<RetrainingFailed> context)
    {
        var m = context.Message;
        return Record(context, [Alert(context, AlertKinds.RetrainingFailed, m.Model, m.Step,
            $"retraining run {m.RunId:N} of {m.Model} failed at {m.Step} after {m.Attempts} attempt(s): {m.Reason}")]);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<PromotionRequested> context)
    {
        var m = context.Message;
        return Record(context, [Alert(context, AlertKinds.PromotionRequested, m.Model, m.PromotionId,
            string.Create(CultureInfo.InvariantCulture, $"{m.RequestedBy} asks to promote {m.Model} version {m.Version} (champion: {m.ChampionVersion ?? "none"}); expires {m.ExpiresAt:u}"))]);
    }

    private static NewAlert Alert<T>(ConsumeContext<T> context, string kind, string model, string feature, string summary) where T : class =>
        new(MessageId(context), kind, model, feature, typeof(T).Name, summary, JsonSerializer.SerializeToNode(context.Message, Json) ?? new JsonObject());

    // The monitor's outbox gives each window event a stable id; a message without one is keyed by its content.
    private static string MessageId<T>(ConsumeContext<T> context) where T : class =>
        context.MessageId?.ToString("N") ?? AlertRecorder.Id(typeof(T).Name, JsonSerializer.Serialize(context.Message, Json));

    private Task Record<T>(ConsumeContext<T> context, IReadOnlyList<NewAlert> alerts) where T : class =>
        recorder.RecordAsync(alerts, "platform", context.CancellationToken);
}
