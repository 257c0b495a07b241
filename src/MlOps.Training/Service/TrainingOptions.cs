using System.ComponentModel.DataAnnotations;

namespace MlOps.Training.Service;

/// <summary>Configuration section <c>MlOps:Training</c> (environment <c>MLOPS__TRAINING__…</c>).</summary>
public sealed class TrainingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Training";

    /// <summary>The registry API (schemas, artifacts, version registration). Empty: this process serves it (<c>mlops up</c>).</summary>
    public string? RegistryUrl { get; set; }

    /// <summary>API key with the admin role (the trainer registers versions and moves the <c>challenger</c> alias); never logged.</summary>
    public string? RegistryApiKey { get; set; }

    /// <summary>The monitor API (labelled examples). Empty: this process serves it.</summary>
    public string? MonitoringUrl { get; set; }

    /// <summary>API key (viewer) for <see cref="MonitoringUrl"/>; never logged.</summary>
    public string? MonitoringApiKey { get; set; }

    /// <summary>Most labelled examples read for one run (the newest are kept; default 1 000 000).</summary>
    [Range(100, 100_000_000)]
    public int MaxExamples { get; set; } = 1_000_000;

    /// <summary>
    /// How long one call to the registry or the monitor may wait for its answer (the model's upload included; default
    /// 5 minutes). Past it the attempt fails and the saga tries again, instead of a silent peer holding the trainer,
    /// and its <c>TrainModel</c> delivery, for ever.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
