namespace MlOps.Registry.Models;

/// <summary>
/// The name an uploaded file is kept under and later served with (<c>Content-Disposition</c> of the download): the
/// last segment of what the client sent (either slash), at most 200 characters, with no control character (a line
/// break would end up in a header) and no bidi control (U+202E turns "report‮fdp.exe" into "reportexe.pdf" on
/// screen); anything else becomes the fallback name.
/// </summary>
internal static class UploadFileNames
{
    public static string Safe(string? fileName, string fallback)
    {
        string name = fileName ?? "";
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return name.Length is > 0 and <= 200 && !name.Any(c => char.IsControl(c) || IsBidiControl(c)) && name is not ("." or "..") ? name : fallback;
    }

    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
