using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MlOps.Hosting.Problems;

/// <summary>problem+json for every error of every MlOps HTTP API: exceptions, malformed bodies and bare status codes.</summary>
public static class ApiErrorHandling
{
    /// <summary>
    /// Adds problem details, the malformed-body handler, makes binding failures throw (so they become 400s with a
    /// body), and holds every string of a JSON request body to <see cref="RequestText"/>.
    /// </summary>
    public static IServiceCollection AddMlOpsProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new RequestTextJsonConverter()));
        return services;
    }

    /// <summary>The middleware: exception handler and status-code pages.</summary>
    public static WebApplication UseMlOpsProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
