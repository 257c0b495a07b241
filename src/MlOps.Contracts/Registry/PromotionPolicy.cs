using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MlOps.Contracts.Registry;

/// <summary>How a model's promotions are decided.</summary>
/// <remarks>
/// Properties with a default have <c>set</c>, not <c>init</c>: System.Text.Json source generation passes default(T)
/// for an init-only property missing from the JSON, so <c>{"approvalsRequired":2}</c> turned four-eyes off
/// (dotnet/runtime#84484).
/// </remarks>
public sealed record PromotionPolicy
{
    /// <summary>Distinct approvals needed before the champion moves (default 1).</summary>
    [Range(1, 10)]
    public int ApprovalsRequired { get; set; } = 1;

    /// <summary>Four-eyes: the requester may not approve their own request (default on).</summary>
    public bool FourEyes { get; set; } = true;

    /// <summary>Hours until a pending request expires (default 72).</summary>
    [Range(0.01, 24 * 365)]
    public double ExpiryHours { get; set; } = 72;

    /// <summary>
    /// How the model gets its first champion: <c>auto</c> (default) makes its first registered version the champion at
    /// once, so it is monitored against that version's reference from the first event; <c>approval</c> asks for a
    /// promotion like every later change of champion.
    /// </summary>
    public InitialChampion InitialChampion { get; set; } = InitialChampion.Auto;

    /// <summary>Optional automatic approval when the evidence is clear.</summary>
    public AutoApprovePolicy? AutoApprove { get; init; }
}

/// <summary>
/// Approve without people when the challenger beats the champion on <see cref="PrimaryMetric"/> by at least
/// <see cref="Margin"/> and no guard-rail metric is worse by more than its tolerance (same evaluation data).
/// </summary>
public sealed record AutoApprovePolicy
{
    /// <summary>Whether auto-approval is on.</summary>
    public bool Enabled { get; init; }

    /// <summary>The metric that decides (e.g. <c>f1</c>, <c>roc_auc</c>, <c>rmse</c>); its direction is known per metric.</summary>
    public string PrimaryMetric { get; set; } = "roc_auc";

    /// <summary>How much better the challenger must be, in the metric's units.</summary>
    [Range(0, double.MaxValue)]
    public double Margin { get; set; } = 0.01;

    /// <summary>Guard-rail metrics and how much worse each may be (metric → tolerance).</summary>
    [Required]
    public Dictionary<string, double> Guardrails { get; set; } = [];
}

/// <summary>How a model without a champion gets one (<see cref="PromotionPolicy.InitialChampion"/>).</summary>
public enum InitialChampion
{
    /// <summary>The first registered version becomes champion when it is registered.</summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>The first champion is promoted through an approved request, like every other.</summary>
    [JsonStringEnumMemberName("approval")]
    Approval,
}
