using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.Cli.Registry;

/// <summary>The files a registry command sends, opened with one-line errors that name the file.</summary>
internal static class UserFiles
{
    public static JsonObject ReadObject(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CannotOpen(path, e);
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new InputException($"{path}: expected a JSON object {{ … }}");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: not valid JSON: {e.Message}");
        }
    }

    /// <summary>A JSON document of the user's as a request part; a value of the wrong type names the file and the JSON path.</summary>
    public static T Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        var node = ReadObject(path);
        try
        {
            return node.Deserialize(type) ?? throw new InputException($"{path}: expected a JSON object {{ … }}");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: {e.Path}: {e.Message}");
        }
    }

    public static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw CannotOpen(path, e);
        }
    }

    private static InputException CannotOpen(string path, Exception e) =>
        new($"{path}: cannot open: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
}
