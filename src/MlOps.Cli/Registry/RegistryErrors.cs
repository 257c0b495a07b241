using System.Net;
using MlOps.Client;
using MlOps.Contracts.Registry;

namespace MlOps.Cli.Registry;

/// <summary>Turns a registry error response (problem+json) into the one line <c>STATUS TITLE: DETAIL</c>.</summary>
internal static class RegistryErrors
{
    public static string Describe(MlOpsApiException error, bool keyGiven)
    {
        int status = (int)error.Status;
        var problem = error.Problem;
        string title = problem?.Title is { Length: > 0 } t ? t : error.ReasonPhrase is { Length: > 0 } reason ? reason : error.Status.ToString();
        string detail = error.Status switch
        {
            // The registry says the same for a missing and a wrong key; the CLI knows which it is.
            HttpStatusCode.Unauthorized when keyGiven =>
                $"the registry does not accept this API key; check --api-key (or {RegistryOptions.KeyVariable})",
            HttpStatusCode.Unauthorized =>
                $"no API key given; pass --api-key KEY or set {RegistryOptions.KeyVariable}",
            HttpStatusCode.Forbidden when string.IsNullOrWhiteSpace(problem?.Detail) =>
                "this API key's role may not do this",
            _ => Detail(problem, error.Body),
        };
        string line = detail.Length == 0 ? $"{status} {title}" : $"{status} {title}: {detail}";
        return line.ReplaceLineEndings(" ");
    }

    private static string Detail(ApiProblem? problem, string? body)
    {
        if (problem is null)
        {
            // A proxy's or another server's page: a short plain text says something; HTML does not.
            string text = body?.Trim() ?? "";
            return text.Length is > 0 and <= 200 && !text.StartsWith('<') ? text : "";
        }

        string detail = problem.Detail?.Trim() ?? "";
        var fields = new List<string>();
        foreach (var (field, messages) in problem.Errors ?? [])
        {
            foreach (string message in messages)
            {
                if (message.Trim() == detail)
                    detail = "";
                fields.Add($"{field}: {message.Trim()}");
            }
        }

        if (problem.Field is { Length: > 0 } malformed && fields.Count == 0)
            return detail.Length == 0 ? malformed : $"{malformed}: {detail}";
        if (detail.Length > 0)
            fields.Insert(0, detail);
        return string.Join("; ", fields);
    }
}
