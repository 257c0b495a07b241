using System.Net;
using MlOps.Contracts.Registry;

namespace MlOps.Client;

/// <summary>
/// An MlOps API answered with an error status (<see cref="Problem"/> holds its problem+json body when it sent one),
/// or with a body that is not the API's JSON (<see cref="UnexpectedBody"/>). Network failures stay
/// <see cref="HttpRequestException"/>; the API key never appears in a message.
/// </summary>
public sealed class MlOpsApiException : Exception
{
    /// <summary>Creates the exception for one response.</summary>
    public MlOpsApiException(HttpStatusCode status, string? reasonPhrase, ApiProblem? problem, string message, bool unexpectedBody = false, string? body = null)
        : base(message)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        Problem = problem;
        UnexpectedBody = unexpectedBody;
        Body = body;
    }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The response's reason phrase, if any.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>The problem+json body, or null when the response had none (a proxy's page, an empty 401).</summary>
    public ApiProblem? Problem { get; }

    /// <summary>True when the status was a success but the body was not the API's JSON: the URL names another server.</summary>
    public bool UnexpectedBody { get; }

    /// <summary>The start of a non-problem body (at most 2 000 characters), for short plain-text errors.</summary>
    public string? Body { get; }
}
