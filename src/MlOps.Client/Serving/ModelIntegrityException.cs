namespace MlOps.Client.Serving;

/// <summary>
/// The downloaded artifact's SHA-256 is not the hash the registry recorded for the version: it was altered in storage or in
/// transit. The artifact is not loaded and the model in use is kept.
/// </summary>
public sealed class ModelIntegrityException : ModelLoadException
{
    /// <summary>Creates the exception.</summary>
    public ModelIntegrityException(string model, string version, string expectedSha256, string actualSha256, string? keptVersion)
        : base(model, version, $"refused model '{model}' version {version}: the artifact's SHA-256 is {actualSha256}, but the registry recorded {expectedSha256}; " +
            (keptVersion is null ? "no version is loaded" : $"keeping version {keptVersion}"))
    {
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>The hash the registry recorded.</summary>
    public string ExpectedSha256 { get; }

    /// <summary>The hash of the bytes received.</summary>
    public string ActualSha256 { get; }
}
