namespace MlOps.Contracts.Registry;

/// <summary>A model's base dataset: labelled rows every retraining run trains on, besides the monitor's labelled examples.</summary>
/// <param name="Model">The model.</param>
/// <param name="Sha256">SHA-256 of the CSV (hex).</param>
/// <param name="Size">Bytes.</param>
/// <param name="Rows">Data rows.</param>
/// <param name="FileName">The uploaded file's name.</param>
/// <param name="UploadedBy">Who uploaded it.</param>
/// <param name="UploadedAt">When.</param>
public sealed record BaseDatasetResponse(string Model, string Sha256, long Size, long Rows, string FileName, string UploadedBy, DateTimeOffset UploadedAt);
