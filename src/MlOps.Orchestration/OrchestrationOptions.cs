using System.ComponentModel.DataAnnotations;

namespace MlOps.Orchestration;

/// <summary>Configuration section <c>MlOps:Orchestration</c> (environment <c>MLOPS__ORCHESTRATION__…</c>).</summary>
public sealed class OrchestrationOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Orchestration";

    /// <summary>The registry API (models, policies, promotions). Empty: this process serves it (<c>mlops up</c>).</summary>
    public string? RegistryUrl { get; set; }

    /// <summary>
    /// API key of the saga's own principal for <see cref="RegistryUrl"/>: approver role at least (it requests and
    /// cancels promotions, so one human approver suffices under four-eyes); never logged.
    /// </summary>
    public string? RegistryApiKey { get; set; }

    /// <summary>The monitor API (labelled example counts). Empty: this process serves it.</summary>
    public string? MonitoringUrl { get; set; }

    /// <summary>API key (viewer) for <see cref="MonitoringUrl"/>; never logged.</summary>
    public string? MonitoringApiKey { get; set; }

    /// <summary>How often the deadline sweeper looks for passed deadlines (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Back-off before the second attempt of a failed step; doubled for each further attempt (default 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an evaluation may take before the attempt counts as failed (default 10 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan EvaluationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Added to a run's <c>timeBudgetSeconds</c> for the training deadline: data loading, the final fit, registration (default 10 min).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TrainingDeadlineSlack { get; set; } = TimeSpan.FromMinutes(10);
}
