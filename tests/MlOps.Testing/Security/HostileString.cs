using System.Text;
using System.Text.Json;

namespace MlOps.Testing.Security;

/// <summary>What a hostile string tries.</summary>
public enum HostileKind
{
    /// <summary>SQL injection and path traversal: legal characters with a meaning elsewhere.</summary>
    Injection,

    /// <summary>A line break (header splitting, log forging): legal in free text, never in a name.</summary>
    LineBreak,

    /// <summary>NUL: never legal (PostgreSQL cannot even store it in text).</summary>
    Nul,

    /// <summary>Terminal escapes and other control characters (log and terminal forging): never legal in what people read.</summary>
    Escape,

    /// <summary>A right-to-left override (file-name spoofing): legal in free text, never in a name.</summary>
    Bidi,

    /// <summary>10 KB and 1 MB.</summary>
    Overlong,

    /// <summary>A lone surrogate or bytes that are not UTF-8.</summary>
    Encoding,
}

/// <summary>
/// One hostile value and how it is written where it goes: into a URL (route value or query), into a JSON string in a
/// body, into a header. Most are the same text written the usual way (escaped for a URL, serialized for JSON, UTF-8
/// for a header); the ones that attack an encoding carry their own bytes.
/// </summary>
public sealed record HostileString(string Name, HostileKind Kind, string Text)
{
    private string? _url;
    private byte[]? _json;
    private byte[]? _header;

    /// <summary>The value as it appears in a URL (already escaped).</summary>
    public string InUrl => _url ?? Uri.EscapeDataString(Text);

    /// <summary>The JSON string token, quotes included, as bytes.</summary>
    public byte[] InJson => _json ?? JsonSerializer.SerializeToUtf8Bytes(Text);

    /// <summary>The header value's bytes.</summary>
    public byte[] InHeader => _header ?? Encoding.UTF8.GetBytes(Text);

    public override string ToString() => Name;

    public static IReadOnlyList<HostileString> All { get; } =
    [
        new("sql-or", HostileKind.Injection, "' OR 1=1 --"),
        new("sql-drop-table", HostileKind.Injection, "'; DROP TABLE models; --"),
        new("path-traversal", HostileKind.Injection, "../../etc/passwd"),
        // In a URL as written: slashes encoded once, so a decoder that runs twice walks up the tree.
        new("encoded-traversal", HostileKind.Injection, "..%2F..%2Fetc%2Fpasswd") { _url = "..%2F..%2Fetc%2Fpasswd" },
        new("nul", HostileKind.Nul, "a\0b"),
        new("crlf", HostileKind.LineBreak, "a\r\nX-Injected: yes"),
        new("terminal-escape", HostileKind.Escape, "\u001b[2J\u001b[31mred"),
        new("rtl-override", HostileKind.Bidi, "report\u202Efdp.exe"),
        new("10kb", HostileKind.Overlong, new string('a', 10 * 1024)),
        new("1mb", HostileKind.Overlong, new string('a', 1024 * 1024)),
        new("lone-surrogate", HostileKind.Encoding, "\uD800")
        {
            _url = "%ED%A0%80",
            _json = "\"\\uD800\""u8.ToArray(),
            _header = [0xED, 0xA0, 0x80],
        },
        new("invalid-utf8", HostileKind.Encoding, "\uFFFD\uFFFD")
        {
            _url = "%FF%FE",
            _json = [(byte)'"', 0xFF, 0xFE, (byte)'"'],
            _header = [0xFF, 0xFE],
        },
    ];

    public static HostileString Named(string name) => All.Single(h => h.Name == name);
}
