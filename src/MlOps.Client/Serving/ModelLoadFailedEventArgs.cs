namespace MlOps.Client.Serving;

/// <summary>A version could not be loaded; the one in use is kept (<see cref="ChampionModel{TInput, TOutput}.LoadFailed"/>).</summary>
public sealed class ModelLoadFailedEventArgs(string model, string? version, Exception error) : EventArgs
{
    /// <summary>The model.</summary>
    public string Model { get; } = model;

    /// <summary>The version that was refused (null when the champion alias itself could not be read).</summary>
    public string? Version { get; } = version;

    /// <summary>Why (a <see cref="ModelIntegrityException"/> for a hash mismatch).</summary>
    public Exception Error { get; } = error;
}
