namespace MlOps.Hosting.Security;

/// <summary>The three roles and the authorization policies built on them (each role includes the ones below it).</summary>
public static class Roles
{
    /// <summary>Reads models, versions, promotions and the audit log.</summary>
    public const string Viewer = "viewer";

    /// <summary>Viewer, plus requesting, approving and rejecting promotions.</summary>
    public const string Approver = "approver";

    /// <summary>Approver, plus registering models and versions, moving aliases and rolling back.</summary>
    public const string Admin = "admin";

    /// <summary>Policy: any of the three roles.</summary>
    public const string CanView = "mlops.view";

    /// <summary>Policy: approver or admin.</summary>
    public const string CanApprove = "mlops.approve";

    /// <summary>Policy: admin.</summary>
    public const string CanAdminister = "mlops.admin";

    /// <summary>All role names, lowest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Approver, Admin];

    /// <summary>True for a known role name.</summary>
    public static bool IsKnown(string? role) => role is Viewer or Approver or Admin;
}
