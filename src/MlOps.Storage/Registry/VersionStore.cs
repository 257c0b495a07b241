using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Registry;

/// <summary>The <c>model_versions</c> table. Versions are numbered 1, 2, … per model and never change.</summary>
public sealed class VersionStore
{
    private const string InsertColumns = "model_name, version, artifact_sha256, artifact_size, artifact_file_name, training_from, training_to, metrics_json, reference_profile, parent_version, run_id, tags_json, created_by, created_at";

    private const string HasProfile = "CASE WHEN reference_profile IS NULL THEN 0 ELSE 1 END AS has_reference_profile";

    private const string Columns = $"{InsertColumns}, {HasProfile}";

    // Listing leaves the (large) reference profile out, but says whether there is one.
    private const string SummaryColumns = $"model_name, version, artifact_sha256, artifact_size, artifact_file_name, training_from, training_to, metrics_json, NULL AS reference_profile, parent_version, run_id, tags_json, created_by, created_at, {HasProfile}";

    private const string NextSql = "SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model_name = @model";

    private const string InsertSql = $"""
        INSERT INTO model_versions ({InsertColumns})
        VALUES (@ModelName, @Version, @ArtifactSha256, @ArtifactSize, @ArtifactFileName, @TrainingFrom, @TrainingTo, @MetricsJson,
                @ReferenceProfile, @ParentVersion, @RunId, @TagsJson, @CreatedBy, @CreatedAt)
        """;

    /// <summary>
    /// Inserts the next version of a model and returns its number. Run it in a transaction: the number is taken
    /// from the table, and a racing insert of the same number fails on the primary key instead of overwriting.
    /// </summary>
    public async Task<int> InsertNextAsync(DbConnection connection, VersionRow row, DbTransaction transaction)
    {
        int version = await connection.ExecuteScalarAsync<int>(NextSql, new { model = row.ModelName }, transaction);
        var numbered = new VersionRow
        {
            ModelName = row.ModelName,
            Version = version,
            ArtifactSha256 = row.ArtifactSha256,
            ArtifactSize = row.ArtifactSize,
            ArtifactFileName = row.ArtifactFileName,
            TrainingFrom = row.TrainingFrom,
            TrainingTo = row.TrainingTo,
            MetricsJson = row.MetricsJson,
            ReferenceProfile = row.ReferenceProfile,
            ParentVersion = row.ParentVersion,
            RunId = row.RunId,
            TagsJson = row.TagsJson,
            CreatedBy = row.CreatedBy,
            CreatedAt = row.CreatedAt,
        };
        await connection.ExecuteAsync(InsertSql, numbered, transaction);
        return version;
    }

    private const string GetSql = $"SELECT {Columns} FROM model_versions WHERE model_name = @model AND version = @version";

    /// <summary>One version with its reference profile, or null.</summary>
    public Task<VersionRow?> GetAsync(DbConnection connection, string model, int version, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<VersionRow>(GetSql, new { model, version }, transaction);

    private const string ListSql = $"SELECT {SummaryColumns} FROM model_versions WHERE model_name = @model ORDER BY version DESC";

    /// <summary>A model's versions, newest first, without reference profiles.</summary>
    public async Task<IReadOnlyList<VersionRow>> ListAsync(DbConnection connection, string model, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<VersionRow>(ListSql, new { model }, transaction)];
}
