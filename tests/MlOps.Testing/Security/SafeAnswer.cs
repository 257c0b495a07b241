using System.Text;
using System.Text.Json;

namespace MlOps.Testing.Security;

/// <summary>
/// What every answer to a hostile request must be: no server error, a problem+json body when MlOps answered, nothing
/// of the server's insides (file contents, SQL errors, stack traces, connection strings, keys and secrets), and no
/// control character in a header.
/// </summary>
public static class SafeAnswer
{
    /// <summary>Text that only leaks out of a server: /etc/passwd, SQL driver errors, stack traces, connection strings.</summary>
    public static IReadOnlyList<string> LeakMarkers { get; } =
    [
        "root:x:0:0", "SqliteException", "SQLite Error", "Npgsql.", "PostgresException", "SqlState", "syntax error at or near",
        "   at ", ".cs:line", "--- End of stack trace", "Exception (0x", "Data Source=", "Host=", "Password=", "Username=", "Search Path=",
    ];

    /// <summary>Kestrel's own refusal of a request line or header it will not parse (no MlOps code ran): 400, 414 or 431 with no body.</summary>
    public static bool IsTransportRefusal(RawHttp.Response response) =>
        response.Status is 400 or 414 or 431 && response.Body.Length == 0 && response.Header("Content-Type") is null;

    /// <summary>A 4xx problem+json answer whose status and title are set; with <paramref name="transportMayRefuse"/>, Kestrel's bodiless refusal also passes.</summary>
    public static void IsRefusal(RawHttp.Response response, string what, bool transportMayRefuse)
    {
        if (response.Status is < 400 or >= 500)
            throw new Xunit.Sdk.XunitException($"{what}: expected a 4xx refusal, got {response}");
        if (transportMayRefuse && IsTransportRefusal(response))
            return;
        IsProblem(response, what);
    }

    public static void IsProblem(RawHttp.Response response, string what)
    {
        if (response.MediaType != "application/problem+json")
            throw new Xunit.Sdk.XunitException($"{what}: expected application/problem+json, got {response}");
        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(response.Body).RootElement;
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: the problem body is not JSON ({e.Message}): {response}");
        }

        if (!problem.TryGetProperty("status", out var status) || status.GetInt32() != response.Status)
            throw new Xunit.Sdk.XunitException($"{what}: the problem's status is not the answer's {response.Status}: {response}");
        if (!problem.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()))
            throw new Xunit.Sdk.XunitException($"{what}: the problem has no title: {response}");
    }

    /// <summary>No leak in the body or headers, no control character in a header, no header the request smuggled in.</summary>
    public static void LeaksNothing(RawHttp.Response response, string what, IEnumerable<string> secrets)
    {
        if (response.Status >= 500)
            throw new Xunit.Sdk.XunitException($"{what}: server error {response}");
        string body = Encoding.UTF8.GetString(response.Body);
        string headers = string.Join("\n", response.Headers.Select(h => $"{h.Name}: {Encoding.Latin1.GetString(h.Value)}"));
        // A Prometheus exposition may name exception types by design: the .NET meters it exports (MassTransit's fault
        // counters tag the exception type of a failed consumer). Their messages, SQL and secrets stay forbidden there too.
        bool exposition = response.MediaType == "text/plain" && body.StartsWith("# HELP", StringComparison.Ordinal);
        foreach (string marker in LeakMarkers.Concat(secrets).Where(m => !(exposition && m is "SqliteException" or "PostgresException")))
        {
            string text = headers + "\n\n" + body;
            int at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                // Where it is, with the marker itself masked (it may be a secret).
                int from = Math.Max(0, at - 240), to = Math.Min(text.Length, at + marker.Length + 80);
                string around = (text[from..at] + Shorten(marker) + text[(at + marker.Length)..to]).Replace("\n", " | ", StringComparison.Ordinal);
                throw new Xunit.Sdk.XunitException($"{what}: the answer holds '{Shorten(marker)}' (status {response.Status}) here: …{around}…");
            }
        }

        foreach (var (name, value) in response.Headers)
        {
            if (value.Any(b => b is < 0x20 and not 0x09 or 0x7F))
                throw new Xunit.Sdk.XunitException($"{what}: header {name} carries a control character: {Convert.ToHexString(value)}");
            if (name.Equals("X-Injected", StringComparison.OrdinalIgnoreCase) || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
                throw new Xunit.Sdk.XunitException($"{what}: the answer has a {name} header");
        }

        if (response.MediaType is "application/problem+json" or "application/json" && response.Body.Any(b => b is < 0x20 and not (0x09 or 0x0A or 0x0D)))
            throw new Xunit.Sdk.XunitException($"{what}: the JSON answer holds a raw control character: {response}");
    }

    private static string Shorten(string text) => text.Length <= 8 ? text : text[..4] + "…";
}
