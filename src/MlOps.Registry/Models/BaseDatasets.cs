using System.Text;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;
using MlOps.Storage;
using MlOps.Storage.Registry;
using Sylvan.Data.Csv;

namespace MlOps.Registry.Models;

/// <summary>
/// Each model's optional base dataset: a CSV with a column per schema feature and the label in <c>actual</c>, that the
/// trainer adds to the training split of every retraining run (historical data from before the model was monitored).
/// Stored content-addressed with the artifacts; one per model (an upload replaces it); audited.
/// </summary>
public sealed class BaseDatasets(Database database, ModelRegistry registry, ArtifactStore artifacts, BaseDatasetStore store, TimeProvider time)
{
    /// <summary>The label column.</summary>
    public const string LabelColumn = "actual";

    /// <summary>Stores and checks the CSV (header: every required feature and <c>actual</c>); 400 names what is missing.</summary>
    public async Task<BaseDatasetResponse> UploadAsync(string name, Stream csv, string fileName, string actor, CancellationToken cancellationToken)
    {
        ModelSchema schema;
        await using (var c = await database.OpenAsync(cancellationToken))
            schema = Documents.ReadSchema((await registry.RequireModel(c, name)).SchemaJson);
        var (sha, size) = await artifacts.SaveAsync(csv, cancellationToken);
        long rows;
        await using (var stored = artifacts.Open(sha) ?? throw new InvalidOperationException($"Stored dataset {sha} is missing."))
            rows = await CountRowsAsync(stored, schema, cancellationToken);
        if (rows == 0)
            throw RegistryException.Invalid("dataset", "The base dataset has a header but no rows.");
        var row = new BaseDatasetRow
        {
            ModelName = name,
            Sha256 = sha,
            Size = size,
            Rows = rows,
            FileName = UploadFileNames.Safe(fileName, "base.csv"),
            UploadedBy = actor,
            UploadedAt = Documents.Millis(time.GetUtcNow()),
        };
        await database.InTransactionAsync(async (c, tx) =>
        {
            var before = await store.GetAsync(c, name, tx);
            await store.SetAsync(c, row, tx);
            await registry.Audit(c, tx, actor, "dataset.uploaded", name, "base-dataset", name,
                before is null ? null : AuditJson.Of(("sha256", before.Sha256), ("rows", before.Rows)),
                AuditJson.Of(("sha256", sha), ("rows", rows), ("fileName", row.FileName)));
            return true;
        }, cancellationToken);
        return ToResponse(row);
    }

    /// <summary>The model's base dataset and its content; 404 when there is none.</summary>
    public async Task<(BaseDatasetResponse Info, Stream Content)> OpenAsync(string name, CancellationToken cancellationToken)
    {
        var row = await GetRowAsync(name, cancellationToken);
        var content = artifacts.Open(row.Sha256) ?? throw new InvalidOperationException($"The base dataset of '{name}' ({row.Sha256}) is missing from the artifact store.");
        return (ToResponse(row), content);
    }

    /// <summary>The model's base dataset; 404 when there is none.</summary>
    public async Task<BaseDatasetResponse> GetAsync(string name, CancellationToken cancellationToken) => ToResponse(await GetRowAsync(name, cancellationToken));

    /// <summary>Removes the model's base dataset (later runs train on labelled examples only).</summary>
    public async Task DeleteAsync(string name, string actor, CancellationToken cancellationToken) =>
        await database.InTransactionAsync(async (c, tx) =>
        {
            await registry.RequireModel(c, name, tx);
            var before = await store.GetAsync(c, name, tx) ?? throw RegistryException.NotFound($"Model '{name}' has no base dataset.");
            await store.DeleteAsync(c, name, tx);
            await registry.Audit(c, tx, actor, "dataset.deleted", name, "base-dataset", name, AuditJson.Of(("sha256", before.Sha256), ("rows", before.Rows)), null);
            return true;
        }, cancellationToken);

    private async Task<BaseDatasetRow> GetRowAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        await registry.RequireModel(c, name);
        return await store.GetAsync(c, name) ?? throw RegistryException.NotFound($"Model '{name}' has no base dataset.");
    }

    private static async Task<long> CountRowsAsync(Stream csv, ModelSchema schema, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        CsvDataReader reader;
        try
        {
            reader = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        }
        catch (Exception e) when (e is CsvFormatException or CsvMissingHeadersException)
        {
            throw RegistryException.Invalid("dataset", $"The base dataset has no readable header row: {e.Message}");
        }

        await using (reader)
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.Ordinal);
            var missing = schema.Features.Where(f => f.Required && !columns.Contains(f.Name)).Select(f => f.Name).ToList();
            if (!columns.Contains(LabelColumn))
                missing.Add(LabelColumn);
            if (missing.Count > 0)
                throw RegistryException.Invalid("dataset", $"The base dataset lacks the column(s): {string.Join(", ", missing)} (one column per feature, the label in '{LabelColumn}').");
            long rows = 0;
            try
            {
                while (await reader.ReadAsync(cancellationToken))
                    rows++;
            }
            catch (CsvFormatException e)
            {
                throw RegistryException.Invalid("dataset", $"The base dataset is not valid CSV at row {rows + 2}: {e.Message}");
            }

            return rows;
        }
    }

    private static BaseDatasetResponse ToResponse(BaseDatasetRow r) =>
        new(r.ModelName, r.Sha256, r.Size, r.Rows, r.FileName, r.UploadedBy, Documents.Time(r.UploadedAt));
}
