using System.ComponentModel.DataAnnotations;
using MlOps.Contracts;

namespace MlOps.Client.Serving;

/// <summary>Settings of <see cref="ChampionModel{TInput, TOutput}"/>, bound from the section <see cref="Section"/> (<c>MlOps:Champion</c>).</summary>
public sealed class ChampionModelOptions
{
    /// <summary>The configuration section: <c>MlOps:Champion</c>.</summary>
    public const string Section = "MlOps:Champion";

    /// <summary>Registered model name. Required.</summary>
    [Required(ErrorMessage = "is required (the registered model name)")]
    public string? Model { get; set; }

    /// <summary>The registry's URL, where the champion's artifact and hash are read. Required.</summary>
    [Required(ErrorMessage = "is required (the registry URL)")]
    public string? RegistryUrl { get; set; }

    /// <summary>API key for the registry (a viewer key suffices).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Kafka bootstrap servers, to follow promotions and rollbacks on <see cref="LifecycleTopic"/>. Without them the model
    /// changes only through <see cref="ChampionModel{TInput, TOutput}.ReloadAsync"/>.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>The lifecycle topic (default <c>mlops.model-lifecycle</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string LifecycleTopic { get; set; } = Topics.ModelLifecycle;

    /// <summary>Log each prediction through the <c>MlOpsLogger</c>, when one is given (default true).</summary>
    public bool LogPredictions { get; set; } = true;

    /// <summary>Idle prediction engines kept per loaded version (default: twice the processor count); more are made under load.</summary>
    [Range(1, 1024)]
    public int MaxIdleEngines { get; set; } = Environment.ProcessorCount * 2;

    /// <summary>Timeout of one registry request (default 60 s; artifacts can be large).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RegistryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>When the first load fails at start-up (registry down, no champion yet), how often the host retries (default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
