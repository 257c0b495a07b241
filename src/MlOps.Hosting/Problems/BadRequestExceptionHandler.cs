using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace MlOps.Hosting.Problems;

/// <summary>
/// A body that is not valid JSON, or a JSON value of the wrong type, is the client's error: 400 problem+json with
/// the JSON path of the offending field, instead of a bare 400 or a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        var json = bad.InnerException as JsonException;
        httpContext.Response.StatusCode = bad.StatusCode;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Body too large" : "Invalid request",
            Detail = json is null ? bad.Message : $"The body is not valid: {json.Message}",
        };
        if (json?.Path is { } path)
            details.Extensions["field"] = path;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }
}
