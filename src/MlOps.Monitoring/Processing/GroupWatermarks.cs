using System.Collections.Frozen;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Processing;

/// <summary>
/// The consumer group's watermark per model, as the window closer last computed it from every partition's
/// checkpoint: windows of the model that end (plus allowed lateness) at or before it are closed. A partition that
/// meets a model for the first time starts that model's watermark here, so it never reopens a closed window.
/// </summary>
public sealed class GroupWatermarks
{
    private FrozenDictionary<string, long> _byModel = FrozenDictionary<string, long>.Empty;

    /// <summary>The group's watermark of <paramref name="model"/> (Unix ms), or <see cref="long.MinValue"/> when none is known.</summary>
    public long Of(string model) => _byModel.TryGetValue(model, out long watermark) ? watermark : long.MinValue;

    /// <summary>Replaces the whole map (the closer's view at one tick).</summary>
    public void Set(IReadOnlyDictionary<string, long> byModel) => _byModel = byModel.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The group's watermark of each model from the partitions' checkpoints: the lowest, over all
    /// <paramref name="partitions"/>, of the partition's watermark for the model — or, where the partition has no
    /// events of the model, the partition's own watermark (nothing of the model can be behind it there).
    /// <c>Others</c> is the bound for models that no partition has a watermark for (state written before
    /// watermarks were kept per model). Null until every partition has checkpointed once. A partition without
    /// events of a model bounds it by its own watermark only once <paramref name="grace"/> has passed since any
    /// partition first saw the model (until then it may simply not have read that far: a consumer that lags on one
    /// partition must not let the others close the model's windows without its share).
    /// </summary>
    public static (Dictionary<string, long> ByModel, long Others)? Compute(IEnumerable<PartitionWatermarkRow> partitionRows, IEnumerable<ModelWatermarkRow> modelRows, int partitions, long now = long.MaxValue, TimeSpan grace = default)
    {
        var byPartition = partitionRows.Where(p => p.Partition >= 0 && p.Partition < partitions).ToDictionary(p => p.Partition, p => p.Watermark);
        if (partitions == 0 || byPartition.Count < partitions)
            return null;
        long others = byPartition.Values.Min();
        var byModel = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var model in modelRows.Where(m => m.Partition >= 0 && m.Partition < partitions).GroupBy(m => m.Model, StringComparer.Ordinal))
        {
            var own = model.ToDictionary(m => m.Partition, m => m.Watermark);
            bool settled = now - model.Min(m => m.FirstSeenAt) >= (long)grace.TotalMilliseconds;
            byModel[model.Key] = byPartition.Min(p => own.TryGetValue(p.Key, out long w) ? w : settled ? p.Value : long.MinValue);
        }

        return (byModel, others);
    }
}
