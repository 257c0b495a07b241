using System.ComponentModel.DataAnnotations;

namespace MlOps.Contracts.Retraining;

/// <summary>
/// When and how a model is retrained: the <c>retraining</c> part of its registration. Read by the retraining saga at
/// every trigger, so a change applies to the next run.
/// </summary>
/// <remarks>Properties with a default have <c>set</c>, not <c>init</c> (see <see cref="Registry.PromotionPolicy"/>).</remarks>
public sealed record RetrainingPolicy
{
    /// <summary>Whether <c>DriftDetected</c> and <c>PerformanceDegraded</c> start a run (default true); manual requests always may.</summary>
    public bool AutoTrigger { get; set; } = true;

    /// <summary>Hours after a run ends during which automatic triggers are skipped (default 6); manual requests are not.</summary>
    [Range(0, 24 * 365)]
    public double CooldownHours { get; set; } = 6;

    /// <summary>Labelled examples needed in the training range before a run starts (default 1 000).</summary>
    [Range(10, int.MaxValue)]
    public int MinLabelledRows { get; set; } = 1000;

    /// <summary>Days of labelled examples to train on, ending now (default 30).</summary>
    [Range(0.01, 3650)]
    public double TrainingWindowDays { get; set; } = 30;

    /// <summary>
    /// ML.NET trainers to choose from (<c>fastTree</c>, <c>lightGbm</c>, <c>sdca</c>); empty (default) = every trainer
    /// fit for the model's task.
    /// </summary>
    [Required]
    public List<string> Trainers { get; set; } = [];

    /// <summary>Cross-validation folds (default 5).</summary>
    [Range(2, 20)]
    public int Folds { get; set; } = 5;

    /// <summary>Hyper-parameter trials in the random search, over all trainers (default 20).</summary>
    [Range(1, 1000)]
    public int Trials { get; set; } = 20;

    /// <summary>Wall-clock budget of the search in seconds (default 300); the best trial so far wins when it runs out.</summary>
    [Range(1, 86400)]
    public int TimeBudgetSeconds { get; set; } = 300;

    /// <summary>Seed of the split-independent randomness (search, folds, trainers): same data + seed = same model.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Attempts of training and of evaluation before the run fails (default 3), with exponential back-off.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Hours a promotion request may wait for approval; null (default) = the promotion policy's <c>expiryHours</c>.</summary>
    [Range(0.01, 24 * 365)]
    public double? ApprovalTimeoutHours { get; set; }

    /// <summary>The trainer names this version understands.</summary>
    public static IReadOnlyList<string> KnownTrainers { get; } = ["fastTree", "lightGbm", "sdca"];
}
