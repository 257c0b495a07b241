using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Monitoring;

/// <summary>
/// The streaming monitor's durable state: offsets, partial window profiles, join-state log, partition watermarks
/// and closed window results. <see cref="SaveCheckpointAsync"/> writes one partition's state and offsets in the
/// caller's transaction, which is what makes a restart neither lose nor double-count an event.
/// </summary>
public sealed class MonitorStateStore
{
    private const string OffsetsSql = "SELECT consumer_group, topic, partition, next_offset, updated_at FROM monitor_offsets WHERE consumer_group = @group";

    /// <summary>Every stored offset of a consumer group.</summary>
    public async Task<IReadOnlyList<OffsetRow>> LoadOffsetsAsync(DbConnection c, string group, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<OffsetRow>(OffsetsSql, new { group }, tx)];

    private const string PartialsSql = """
        SELECT consumer_group, model, version, window_start, window_end, partition, payload, updated_at
        FROM window_partials WHERE consumer_group = @group AND partition = @partition
        """;

    /// <summary>One partition's open window partials.</summary>
    public async Task<IReadOnlyList<PartialRow>> LoadPartialsAsync(DbConnection c, string group, int partition, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<PartialRow>(PartialsSql, new { group, partition }, tx)];

    private const string JoinLogSql = "SELECT consumer_group, partition, sequence, payload FROM join_log WHERE consumer_group = @group AND partition = @partition ORDER BY sequence";

    /// <summary>
    /// One partition's join-state log as earlier versions wrote it (before the join state had tables of its own),
    /// oldest first: read once, converted, and deleted (<see cref="DeleteJoinLogAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<JoinLogRow>> LoadJoinLogAsync(DbConnection c, string group, int partition, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<JoinLogRow>(JoinLogSql, new { group, partition }, tx)];

    private const string DeleteJoinLogSql = "DELETE FROM join_log WHERE consumer_group = @group AND partition = @partition";

    public Task DeleteJoinLogAsync(DbConnection c, DbTransaction tx, string group, int partition) =>
        c.ExecuteAsync(DeleteJoinLogSql, new { group, partition }, tx);

    /// <summary>The join-state tables.</summary>
    public JoinStateStore Join { get; } = new();

    private const string UpsertOffsetSql = """
        INSERT INTO monitor_offsets (consumer_group, topic, partition, next_offset, updated_at)
        VALUES (@ConsumerGroup, @Topic, @Partition, @NextOffset, @UpdatedAt)
        ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = excluded.next_offset, updated_at = excluded.updated_at
        """;

    private const string UpsertPartialSql = """
        INSERT INTO window_partials (consumer_group, model, version, window_start, window_end, partition, payload, updated_at)
        VALUES (@ConsumerGroup, @Model, @Version, @WindowStart, @WindowEnd, @Partition, @Payload, @UpdatedAt)
        ON CONFLICT (consumer_group, model, version, window_start, partition) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
        """;

    private const string UpsertWatermarkSql = """
        INSERT INTO partition_watermarks (consumer_group, partition, sealed_until, updated_at, checkpoint_sequence)
        VALUES (@group, @partition, @watermark, @now, @sequence)
        ON CONFLICT (consumer_group, partition) DO UPDATE SET sealed_until = excluded.sealed_until, updated_at = excluded.updated_at, checkpoint_sequence = excluded.checkpoint_sequence
        """;

    private const string UpsertModelWatermarkSql = """
        INSERT INTO model_watermarks (consumer_group, model, partition, watermark, updated_at, first_seen_at)
        VALUES (@ConsumerGroup, @Model, @Partition, @Watermark, @UpdatedAt, @UpdatedAt)
        ON CONFLICT (consumer_group, model, partition) DO UPDATE SET watermark = excluded.watermark, updated_at = excluded.updated_at
        """;

    /// <summary>
    /// Writes one partition's checkpoint: the partials that changed, the join-state changes and expiry, the
    /// watermarks and the next offsets of its topic partitions. Call it inside a transaction; returns how many
    /// join-state rows expired.
    /// </summary>
    public async Task<int> SaveCheckpointAsync(DbConnection c, DbTransaction tx, MonitorCheckpoint checkpoint)
    {
        foreach (var partial in checkpoint.Partials)
            await c.ExecuteAsync(UpsertPartialSql, partial, tx);
        int expired = await Join.ApplyAsync(c, tx, checkpoint.ConsumerGroup, checkpoint.Partition, checkpoint.Join);
        await c.ExecuteAsync(UpsertWatermarkSql, new { group = checkpoint.ConsumerGroup, partition = checkpoint.Partition, watermark = checkpoint.Watermark, now = checkpoint.At, sequence = checkpoint.Sequence }, tx);
        foreach (var model in checkpoint.ModelWatermarks)
            await c.ExecuteAsync(UpsertModelWatermarkSql, model, tx);
        foreach (var labels in checkpoint.LabelPartials)
            await c.ExecuteAsync(InsertLabelPartialSql, labels, tx);
        foreach (var offset in checkpoint.Offsets)
            await c.ExecuteAsync(UpsertOffsetSql, offset, tx);
        return expired;
    }

    private const string InsertLabelPartialSql = """
        INSERT INTO window_label_partials (consumer_group, model, version, window_start, window_end, partition, sequence, payload)
        VALUES (@ConsumerGroup, @Model, @Version, @WindowStart, @WindowEnd, @Partition, @Sequence, @Payload)
        """;

    private const string LabelsDueSql = """
        SELECT l.consumer_group, l.model, l.version, l.window_start, l.window_end, l.partition, l.sequence, l.payload
        FROM window_label_partials l
        JOIN window_results r ON r.consumer_group = l.consumer_group AND r.model = l.model AND r.version = l.version AND r.window_start = l.window_start
        WHERE l.consumer_group = @group
        ORDER BY l.model, l.version, l.window_start, l.partition, l.sequence
        """;

    /// <summary>Late labels of windows that are already closed (ready to be folded into their results).</summary>
    public async Task<IReadOnlyList<LabelPartialRow>> LoadLateLabelsAsync(DbConnection c, string group, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<LabelPartialRow>(LabelsDueSql, new { group }, tx)];

    private const string ResultSql = """
        SELECT consumer_group, model, version, window_start, window_end, closed_at, predictions, labelled, drifted_share, dataset_drift, result_json, performance_state
        FROM window_results WHERE consumer_group = @group AND model = @model AND version = @version AND window_start = @start
        """;

    /// <summary>One closed window, or null.</summary>
    public Task<WindowResultRow?> GetResultAsync(DbConnection c, string group, string model, string version, long start, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<WindowResultRow>(ResultSql, new { group, model, version, start }, tx);

    private const string UpdatePerformanceSql = """
        UPDATE window_results SET labelled = @Labelled, result_json = @ResultJson, performance_state = @PerformanceState
        WHERE consumer_group = @ConsumerGroup AND model = @Model AND version = @Version AND window_start = @WindowStart
        """;

    private const string DeleteLabelPartialSql = """
        DELETE FROM window_label_partials
        WHERE consumer_group = @ConsumerGroup AND model = @Model AND version = @Version AND window_start = @WindowStart AND partition = @Partition AND sequence = @Sequence
        """;

    /// <summary>
    /// Removes the late-label rows folded into a window and stores its updated performance, in the caller's transaction;
    /// false (and nothing should be committed) when another instance folded one of the rows first.
    /// </summary>
    public async Task<bool> FoldLateLabelsAsync(DbConnection c, DbTransaction tx, WindowResultRow updated, IEnumerable<LabelPartialRow> folded)
    {
        foreach (var row in folded)
        {
            if (await c.ExecuteAsync(DeleteLabelPartialSql, row, tx) != 1)
                return false;
        }

        await c.ExecuteAsync(UpdatePerformanceSql, updated, tx);
        return true;
    }

    private const string PartitionWatermarksSql = "SELECT partition, sealed_until AS watermark FROM partition_watermarks WHERE consumer_group = @group";

    /// <summary>Every partition's watermark over all its models.</summary>
    public async Task<IReadOnlyList<PartitionWatermarkRow>> LoadPartitionWatermarksAsync(DbConnection c, string group, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<PartitionWatermarkRow>(PartitionWatermarksSql, new { group }, tx)];

    private const string ModelWatermarksSql = "SELECT consumer_group, model, partition, watermark, updated_at, first_seen_at FROM model_watermarks WHERE consumer_group = @group";

    /// <summary>Every partition's watermark of every model it has seen.</summary>
    public async Task<IReadOnlyList<ModelWatermarkRow>> LoadModelWatermarksAsync(DbConnection c, string group, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<ModelWatermarkRow>(ModelWatermarksSql, new { group }, tx)];

    private const string PartitionModelWatermarksSql = "SELECT consumer_group, model, partition, watermark, updated_at, first_seen_at FROM model_watermarks WHERE consumer_group = @group AND partition = @partition";

    /// <summary>One partition's per-model watermarks.</summary>
    public async Task<IReadOnlyList<ModelWatermarkRow>> LoadModelWatermarksAsync(DbConnection c, string group, int partition, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<ModelWatermarkRow>(PartitionModelWatermarksSql, new { group, partition }, tx)];

    private const string WatermarkSql = "SELECT sealed_until AS Watermark, checkpoint_sequence AS Sequence FROM partition_watermarks WHERE consumer_group = @group AND partition = @partition";

    /// <summary>One partition's stored watermark and checkpoint number, or zeros.</summary>
    public async Task<(long Watermark, long Sequence)> LoadWatermarkAsync(DbConnection c, string group, int partition, DbTransaction? tx = null) =>
        await c.QuerySingleOrDefaultAsync<(long Watermark, long Sequence)>(WatermarkSql, new { group, partition }, tx);

    private const string ClosablePartialsSql = """
        SELECT consumer_group, model, version, window_start, window_end, partition, payload, updated_at
        FROM window_partials WHERE consumer_group = @group AND window_end <= @watermark
        ORDER BY model, version, window_start, partition
        """;

    /// <summary>Every partial of the windows that the watermark of every partition has passed.</summary>
    public async Task<IReadOnlyList<PartialRow>> LoadClosablePartialsAsync(DbConnection c, string group, long watermark, DbTransaction? tx = null) =>
        [.. await c.QueryAsync<PartialRow>(ClosablePartialsSql, new { group, watermark }, tx)];


    private const string InsertResultSql = """
        INSERT INTO window_results (consumer_group, model, version, window_start, window_end, closed_at, predictions, labelled, drifted_share, dataset_drift, result_json, performance_state, profile)
        VALUES (@ConsumerGroup, @Model, @Version, @WindowStart, @WindowEnd, @ClosedAt, @Predictions, @Labelled, @DriftedShare, @DatasetDrift, @ResultJson, @PerformanceState, @Profile)
        ON CONFLICT (consumer_group, model, version, window_start) DO NOTHING
        """;

    private const string DeletePartialsSql = "DELETE FROM window_partials WHERE consumer_group = @ConsumerGroup AND model = @Model AND version = @Version AND window_start = @WindowStart";

    /// <summary>Stores a closed window and drops its partials; false when another instance closed it first.</summary>
    public async Task<bool> CloseWindowAsync(DbConnection c, DbTransaction tx, WindowResultRow result)
    {
        bool inserted = await c.ExecuteAsync(InsertResultSql, result, tx) == 1;
        await c.ExecuteAsync(DeletePartialsSql, result, tx);
        return inserted;
    }

    private const string DeleteWindowPartialsSql = "DELETE FROM window_partials WHERE consumer_group = @group AND model = @model AND version = @version AND window_start = @start";

    private const string PartialSql = """
        SELECT consumer_group, model, version, window_start, window_end, partition, payload, updated_at
        FROM window_partials WHERE consumer_group = @group AND model = @model AND version = @version AND window_start = @start AND partition = @partition
        """;

    /// <summary>One partial row, or null.</summary>
    public Task<PartialRow?> GetPartialAsync(DbConnection c, string group, string model, string version, long start, int partition, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<PartialRow>(PartialSql, new { group, model, version, start, partition }, tx);

    /// <summary>
    /// Moves a window's merged partials into the next window (as one row with partition −1), for models whose windows
    /// are evaluated only once they hold enough predictions; in the caller's transaction.
    /// </summary>
    public async Task CarryWindowAsync(DbConnection c, DbTransaction tx, string group, string model, string version, long start, PartialRow carried)
    {
        await c.ExecuteAsync(DeleteWindowPartialsSql, new { group, model, version, start }, tx);
        await c.ExecuteAsync(UpsertPartialSql, carried, tx);
    }

    private const string ResultsSql = """
        SELECT consumer_group, model, version, window_start, window_end, closed_at, predictions, labelled, drifted_share, dataset_drift, result_json, performance_state
        FROM window_results WHERE model = @model AND window_start >= @from AND window_start < @to
        ORDER BY window_start, version
        """;

    /// <summary>A model's closed windows that start in [from, to), oldest first.</summary>
    public async Task<IReadOnlyList<WindowResultRow>> ListResultsAsync(DbConnection c, string model, long from, long to) =>
        [.. await c.QueryAsync<WindowResultRow>(ResultsSql, new { model, from, to })];

    private const string ResultsAtSql = """
        SELECT consumer_group, model, version, window_start, window_end, closed_at, predictions, labelled, drifted_share, dataset_drift, result_json, performance_state, profile
        FROM window_results WHERE model = @model AND window_start = @start
        ORDER BY version, consumer_group
        """;

    /// <summary>A model's closed windows that start at <paramref name="start"/> (one per version), with their stored profiles.</summary>
    public async Task<IReadOnlyList<WindowResultRow>> FindResultsAtAsync(DbConnection c, string model, long start) =>
        [.. await c.QueryAsync<WindowResultRow>(ResultsAtSql, new { model, start })];
}
