using Microsoft.ML;

namespace MlOps.Training.Data;

/// <summary>Saves and loads model zips (ML.NET's format, with the input schema) to and from bytes.</summary>
internal static class ModelFile
{
    /// <summary>The zip of <paramref name="model"/> with its feature-only input schema.</summary>
    public static byte[] Save(MLContext ml, ITransformer model, DataViewSchema inputSchema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema, stream);
        return stream.ToArray();
    }

    /// <summary>Loads a zip, or says why it is not an ML.NET model.</summary>
    /// <exception cref="TrainingException">The bytes are not a loadable ML.NET model.</exception>
    public static ITransformer Load(MLContext ml, byte[] zip, out DataViewSchema inputSchema)
    {
        try
        {
            using var stream = new MemoryStream(zip, writable: false);
            return ml.Model.Load(stream, out inputSchema);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TrainingException($"The model is not a loadable ML.NET model zip ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }
}
