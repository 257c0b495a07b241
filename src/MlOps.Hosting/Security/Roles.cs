namespace MlOps.Hosting.Security;

/// <summary>
/// The roles and the authorization policies built on them. Viewer, approver and admin form a ladder (each includes
/// the ones below it); producer stands apart: it may post events to the ingest endpoints and nothing else, so the
/// key an app ships with cannot read models, predictions or the audit log.
/// </summary>
public static class Roles
{
    /// <summary>Reads models, versions, promotions and the audit log.</summary>
    public const string Viewer = "viewer";

    /// <summary>Viewer, plus requesting, approving and rejecting promotions.</summary>
    public const string Approver = "approver";

    /// <summary>Approver, plus registering models and versions, moving aliases and rolling back (and ingesting).</summary>
    public const string Admin = "admin";

    /// <summary>Posts prediction and outcome events to <c>/api/ingest/…</c>; nothing else.</summary>
    public const string Producer = "producer";

    /// <summary>Policy: viewer, approver or admin.</summary>
    public const string CanView = "mlops.view";

    /// <summary>Policy: approver or admin.</summary>
    public const string CanApprove = "mlops.approve";

    /// <summary>Policy: admin.</summary>
    public const string CanAdminister = "mlops.admin";

    /// <summary>Policy: producer or admin.</summary>
    public const string CanIngest = "mlops.ingest";

    /// <summary>The ladder of reading and deciding roles, lowest first (producer is not on it).</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Approver, Admin];

    /// <summary>Every role name a key or token may carry.</summary>
    public static IReadOnlyList<string> Names { get; } = [Viewer, Producer, Approver, Admin];

    /// <summary>True for a known role name.</summary>
    public static bool IsKnown(string? role) => role is Viewer or Producer or Approver or Admin;
}
