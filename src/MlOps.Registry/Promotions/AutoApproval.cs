using MlOps.Contracts.Metrics;
using MlOps.Contracts.Registry;

namespace MlOps.Registry.Promotions;

/// <summary>Decides whether a request's evidence satisfies a model's auto-approve policy, and says why.</summary>
public static class AutoApproval
{
    /// <summary>True with a reason when the challenger wins clearly; false with the reason it does not.</summary>
    public static (bool Approve, string Reason) Evaluate(AutoApprovePolicy? policy, PromotionEvidence evidence)
    {
        if (policy is not { Enabled: true })
            return (false, "auto-approve is off");
        var challenger = evidence.Challenger?.Metrics;
        var champion = evidence.Champion?.Metrics;
        if (champion is null || champion.Count == 0)
            return (false, "no champion metrics on the same evaluation data");
        if (challenger is null || !challenger.TryGetValue(policy.PrimaryMetric, out double c) || !champion.TryGetValue(policy.PrimaryMetric, out double h))
            return (false, $"primary metric '{policy.PrimaryMetric}' missing for challenger or champion");
        double gain = MetricDirection.Improvement(policy.PrimaryMetric, c, h);
        if (gain < policy.Margin)
            return (false, $"{policy.PrimaryMetric} improves by {gain:G4}, less than the margin {policy.Margin:G4}");
        foreach (var (metric, tolerance) in policy.Guardrails)
        {
            if (!challenger.TryGetValue(metric, out double cg) || !champion.TryGetValue(metric, out double hg))
                return (false, $"guard-rail metric '{metric}' missing");
            double change = MetricDirection.Improvement(metric, cg, hg);
            if (change < -tolerance)
                return (false, $"guard-rail {metric} is worse by {-change:G4}, beyond the tolerance {tolerance:G4}");
        }

        return (true, $"{policy.PrimaryMetric} improves by {gain:G4} (margin {policy.Margin:G4}); no guard-rail worse beyond its tolerance");
    }
}
