using Microsoft.AspNetCore.Http;

namespace MlOps.Registry;

/// <summary>
/// A request the registry cannot carry out, with the HTTP status it means: 400 (with the field at fault),
/// 403, 404 or 409. Endpoints turn it into a problem+json response.
/// </summary>
public sealed class RegistryException : Exception
{
    private RegistryException(int status, string title, string detail, string? field = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        Field = field;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>A short, stable title.</summary>
    public string Title { get; }

    /// <summary>The request field at fault, for 400.</summary>
    public string? Field { get; }

    public static RegistryException Invalid(string field, string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail, field);

    public static RegistryException NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);

    public static RegistryException Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);

    public static RegistryException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, "Forbidden", detail);

    /// <summary>The problem+json result for this error.</summary>
    public IResult ToResult() => Field is null
        ? Results.Problem(statusCode: Status, title: Title, detail: Message)
        : Results.ValidationProblem(new Dictionary<string, string[]> { [Field] = [Message] }, detail: Message, title: Title);
}
