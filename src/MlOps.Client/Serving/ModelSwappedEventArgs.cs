namespace MlOps.Client.Serving;

/// <summary>A new version now serves predictions (<see cref="ChampionModel{TInput, TOutput}.Swapped"/>).</summary>
public sealed class ModelSwappedEventArgs(string model, string version, string? previousVersion) : EventArgs
{
    /// <summary>The model.</summary>
    public string Model { get; } = model;

    /// <summary>The version now serving.</summary>
    public string Version { get; } = version;

    /// <summary>The version it replaced, if any.</summary>
    public string? PreviousVersion { get; } = previousVersion;
}
