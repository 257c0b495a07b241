namespace MlOps.Storage;

/// <summary>Which database MlOps keeps its state in.</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file: the embedded default, nothing to install.</summary>
    Sqlite,

    /// <summary>PostgreSQL: the distributed mode.</summary>
    Postgres,
}
