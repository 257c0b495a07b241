using System.ComponentModel.DataAnnotations;

namespace MlOps.Storage;

/// <summary>Configuration section <c>MlOps:Storage</c> (environment: <c>MLOPS__STORAGE__PROVIDER</c>, <c>MLOPS__STORAGE__CONNECTIONSTRING</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Storage";

    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string: for SQLite e.g. <c>Data Source=data/mlops.db</c>, for PostgreSQL e.g.
    /// <c>Host=db;Username=mlops;Password=…;Database=mlops</c> (add <c>Search Path=schema</c> to use a schema).
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=data/mlops.db";
}
