using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Registry;

/// <summary>A row of <c>base_datasets</c>. Times are Unix milliseconds.</summary>
public sealed class BaseDatasetRow
{
    public string ModelName { get; init; } = "";

    public string Sha256 { get; init; } = "";

    public long Size { get; init; }

    public long Rows { get; init; }

    public string FileName { get; init; } = "";

    public string UploadedBy { get; init; } = "";

    public long UploadedAt { get; init; }
}

/// <summary>The <c>base_datasets</c> table: at most one base dataset per model.</summary>
public sealed class BaseDatasetStore
{
    private const string Columns = "model_name, sha256, size, rows, file_name, uploaded_by, uploaded_at";

    /// <summary>The model's base dataset, or null.</summary>
    public Task<BaseDatasetRow?> GetAsync(DbConnection c, string model, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<BaseDatasetRow>($"SELECT {Columns} FROM base_datasets WHERE model_name = @model", new { model }, tx);

    /// <summary>Sets (or replaces) the model's base dataset.</summary>
    public Task SetAsync(DbConnection c, BaseDatasetRow row, DbTransaction? tx = null) =>
        c.ExecuteAsync($"""
            INSERT INTO base_datasets ({Columns}) VALUES (@ModelName, @Sha256, @Size, @Rows, @FileName, @UploadedBy, @UploadedAt)
            ON CONFLICT (model_name) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, rows = excluded.rows,
                file_name = excluded.file_name, uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at
            """, row, tx);

    /// <summary>Removes the model's base dataset; false when it had none.</summary>
    public async Task<bool> DeleteAsync(DbConnection c, string model, DbTransaction? tx = null) =>
        await c.ExecuteAsync("DELETE FROM base_datasets WHERE model_name = @model", new { model }, tx) == 1;
}
