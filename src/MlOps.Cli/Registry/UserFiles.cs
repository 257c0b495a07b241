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
