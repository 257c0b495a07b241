using System.ComponentModel.DataAnnotations;

namespace MlOps.Registry;

/// <summary>Configuration section <c>MlOps:Registry</c>.</summary>
public sealed class RegistryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Registry";

    /// <summary>Folder of the content-addressed artifact store (default <c>data/artifacts</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ArtifactsPath { get; set; } = "data/artifacts";

    /// <summary>Largest artifact accepted, in bytes (default 1 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 1L << 30;

    /// <summary>Kafka to publish lifecycle events to (empty: bus only).</summary>
    public string? KafkaBootstrapServers { get; set; }

    /// <summary>The lifecycle topic (default <c>mlops.model-lifecycle</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string LifecycleTopic { get; set; } = Contracts.Topics.ModelLifecycle;

    /// <summary>How often pending promotions are checked for expiry (default 1 minute).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
