namespace MlOps.Client.Serving;

/// <summary>A model version could not be loaded (download failed, not an ML.NET model, input/output classes do not fit); the model in use is kept.</summary>
public class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException(string model, string version, string message, Exception? inner = null)
        : base(message, inner)
    {
        Model = model;
        Version = version;
    }

    /// <summary>The model.</summary>
    public string Model { get; }

    /// <summary>The version that was refused.</summary>
    public string Version { get; }
}
