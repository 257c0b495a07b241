namespace MlOps.Contracts.Monitoring;

/// <summary>GET /api/monitoring/{model}/examples/count: labelled examples with a prediction time in [From, To).</summary>
/// <param name="Model">The model.</param>
/// <param name="From">Start of the range (inclusive).</param>
/// <param name="To">End of the range (exclusive).</param>
/// <param name="Rows">How many.</param>
public sealed record LabelledExampleCount(string Model, DateTimeOffset From, DateTimeOffset To, long Rows);
