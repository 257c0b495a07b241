using Prometheus;

namespace MlOps.Monitoring.Metrics;

/// <summary>
/// The monitor's Prometheus series, declared once. Names follow Prometheus conventions: <c>mlops_</c> prefix, base
/// units, <c>_total</c> counters, ratios 0–1; labels only model, version, feature, method, metric, reason, topic.
/// </summary>
public static class MonitoringMetrics
{
    public const string Model = "model";
    public const string Version = "version";
    public const string Feature = "feature";
    public const string Method = "method";
    public const string Metric = "metric";
    public const string Reason = "reason";
    public const string Topic = "topic";
    public const string Partition = "partition";

    public static readonly Counter Predictions = Prometheus.Metrics.CreateCounter(
        "mlops_predictions_total", "Prediction events counted in windows.", Model, Version);

    public static readonly Counter Outcomes = Prometheus.Metrics.CreateCounter(
        "mlops_outcomes_total", "Outcome events joined to their prediction.", Model);

    public static readonly Counter Duplicates = Prometheus.Metrics.CreateCounter(
        "mlops_duplicate_events_total", "Events with a predictionId seen before (producer retries), not counted again.", Topic);

    public static readonly Counter LateEvents = Prometheus.Metrics.CreateCounter(
        "mlops_late_events_total", "Events whose window was already closed (beyond the allowed lateness).", Model);

    public static readonly Counter DeadLettered = Prometheus.Metrics.CreateCounter(
        "mlops_dlq_records_total", "Records sent to the dead-letter topic, by reason and by registered model (empty when the record names none or an unknown one).", Reason, Model);

    public static readonly Counter IngestedRecords = Prometheus.Metrics.CreateCounter(
        "mlops_ingest_records_total", "Records posted to /api/ingest/{endpoint}, by what became of them (accepted, rejected, failed) and why (the reject reason, or unavailable; empty when accepted).", "endpoint", "status", Reason);

    public static readonly Gauge LabelCoverage = Prometheus.Metrics.CreateGauge(
        "mlops_label_coverage_ratio", "Labelled share of the last closed window's predictions.", Model, Version);

    public static readonly Histogram LabelDelay = Prometheus.Metrics.CreateHistogram(
        "mlops_label_delay_seconds", "Time from a prediction to its outcome (event time).", new HistogramConfiguration
        {
            LabelNames = [Model],
            Buckets = [1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400],
        });

    public static readonly Histogram PredictionLatency = Prometheus.Metrics.CreateHistogram(
        "mlops_prediction_latency_seconds", "Model latency reported in prediction events (latencyMs).", new HistogramConfiguration
        {
            LabelNames = [Model],
            Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16),
        });

    public static readonly Gauge FeatureDriftScore = Prometheus.Metrics.CreateGauge(
        "mlops_feature_drift_score", "Drift statistic of a feature in the last closed window (p-value tests report the p-value).", Model, Version, Feature, Method);

    public static readonly Gauge FeatureDrifted = Prometheus.Metrics.CreateGauge(
        "mlops_feature_drifted", "1 when the feature drifted in the last closed window.", Model, Version, Feature, Method);

    public static readonly Gauge DatasetDriftedShare = Prometheus.Metrics.CreateGauge(
        "mlops_dataset_drifted_share_ratio", "Share of features that drifted in the last closed window.", Model, Version);

    public static readonly Gauge ModelMetric = Prometheus.Metrics.CreateGauge(
        "mlops_model_metric", "Realised model metric in the last closed window (accuracy, f1, roc_auc, log_loss, mae, rmse, …).", Model, Version, Metric);

    public static readonly Gauge WindowLag = Prometheus.Metrics.CreateGauge(
        "mlops_window_lag_seconds", "How long after its end the last window of the model was closed.", Model);

    public static readonly Gauge ConsumerLag = Prometheus.Metrics.CreateGauge(
        "mlops_consumer_lag_records", "Records between the monitor's position and the end of a partition.", Topic, Partition);

    public static readonly Counter ConsumerRestarts = Prometheus.Metrics.CreateCounter(
        "mlops_consumer_restarts_total", "Times the monitor's consumer failed and was started again from the last checkpoint, by reason (storage, kafka, dead_letter, other).", Reason);

    public static readonly Counter WindowsClosed = Prometheus.Metrics.CreateCounter(
        "mlops_windows_closed_total", "Windows evaluated and stored.", Model);

    public static readonly Counter WindowsUnevaluated = Prometheus.Metrics.CreateCounter(
        "mlops_windows_unevaluated_total", "Windows stored without a drift evaluation, by reason (no_reference, profiled_before_reference, mixed_references, reference_gone).", Model, Reason);

    public static readonly Gauge JoinStateRows = Prometheus.Metrics.CreateGauge(
        "mlops_join_state_rows", "Pending predictions (waiting for their outcome, or joined and kept against duplicates) in the store, by model.", Model);

    public static readonly Gauge JoinStateBytes = Prometheus.Metrics.CreateGauge(
        "mlops_join_state_bytes", "Approximate payload bytes of the pending predictions in the store (ids, labels, features).");

    public static readonly Counter JoinExpired = Prometheus.Metrics.CreateCounter(
        "mlops_join_expired_total", "Join-state rows deleted by the pending TTL (predictions never joined, joined tombstones, outcomes that never found their prediction).");

    public static readonly Counter Checkpoints = Prometheus.Metrics.CreateCounter(
        "mlops_checkpoints_total", "Partition checkpoints committed (state and offsets in one transaction).");

    public static readonly Histogram CheckpointDuration = Prometheus.Metrics.CreateHistogram(
        "mlops_checkpoint_duration_seconds", "Time a processing thread spent writing one checkpoint transaction (every partition of the thread that was due), waiting for the store's writer included.", new HistogramConfiguration
        {
            Buckets = Histogram.ExponentialBuckets(0.001, 2, 14),
        });

    public static readonly Counter CheckpointWaits = Prometheus.Metrics.CreateCounter(
        "mlops_checkpoint_wait_seconds_total", "Time processing threads waited for their checkpoint in flight, 2 x CheckpointRecords ahead of it: the store is writing slower than the stream arrives.");

    public static readonly Counter ConsumerBackpressure = Prometheus.Metrics.CreateCounter(
        "mlops_consumer_backpressure_seconds_total", "Time the consumer waited for a processing thread to take records (its queue was full): the monitor is reading as fast as it can process.");
}
