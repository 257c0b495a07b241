namespace MlOps.Contracts;

/// <summary>
/// The version of the event JSON this code writes and accepts. Producers put it in every record so a
/// breaking change can be rolled out without guessing which shape a record has.
/// </summary>
public static class SchemaVersion
{
    /// <summary>The only version accepted today; anything else is rejected as <c>unsupported_schema_version</c>.</summary>
    public const int Current = 1;
}
