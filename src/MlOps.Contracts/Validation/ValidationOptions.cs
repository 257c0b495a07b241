using System.ComponentModel.DataAnnotations;

namespace MlOps.Contracts.Validation;

/// <summary>Limits that keep a hostile or broken producer from costing the consumer unbounded memory or time.</summary>
public sealed class ValidationOptions
{
    /// <summary>1 MiB, Kafka's default maximum message size.</summary>
    public const int DefaultMaxRecordBytes = 1024 * 1024;

    /// <summary>Records larger than this are rejected as <c>too_large</c> without being parsed.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRecordBytes { get; set; } = DefaultMaxRecordBytes;

    /// <summary>Deeper nesting is rejected as <c>not_json</c>; events need depth 2, the rest is headroom for unknown fields.</summary>
    [Range(2, 256)]
    public int MaxDepth { get; set; } = 64;

    /// <summary>
    /// At most this many errors are reported per record; beyond it the rest are dropped, so a record with
    /// a hundred thousand unknown features does not allocate a hundred thousand messages.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxErrors { get; set; } = 100;
}
