namespace MlOps.Storage.Registry;

/// <summary>A row of <c>audit_log</c>: who did what, when, with the state before and after (JSON).</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public long At { get; init; }

    public string Actor { get; init; } = "";

    public string Action { get; init; } = "";

    public string? ModelName { get; init; }

    public string Entity { get; init; } = "";

    public string EntityId { get; init; } = "";

    public string? BeforeJson { get; init; }

    public string? AfterJson { get; init; }
}
