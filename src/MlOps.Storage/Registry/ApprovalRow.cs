namespace MlOps.Storage.Registry;

/// <summary>A row of <c>promotion_approvals</c>: one approver's approval of one request.</summary>
public sealed class ApprovalRow
{
    public string RequestId { get; init; } = "";

    public string Approver { get; init; } = "";

    public string Comment { get; init; } = "";

    public long ApprovedAt { get; init; }
}
