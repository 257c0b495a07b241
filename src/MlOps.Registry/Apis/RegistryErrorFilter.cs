using Microsoft.AspNetCore.Http;

namespace MlOps.Registry.Apis;

/// <summary>Turns a <see cref="RegistryException"/> from a handler into its problem+json response.</summary>
internal sealed class RegistryErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RegistryException e)
        {
            return e.ToResult();
        }
    }
}
