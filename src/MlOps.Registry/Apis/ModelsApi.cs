using MlOps.Contracts.Registry;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Registry.Models;
using MlOps.Hosting.Security;

namespace MlOps.Registry.Apis;

/// <summary>/api/models: models, versions, artifacts, aliases and rollback.</summary>
internal static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/models").WithTags("Models").AddEndpointFilter<RegistryErrorFilter>();
        group.MapGet("/", List).RequireAuthorization(Roles.CanView);
        group.MapPost("/", Register).RequireAuthorization(Roles.CanAdminister);
        group.MapGet("/{name}", Get).RequireAuthorization(Roles.CanView);
        group.MapGet("/{name}/versions", ListVersions).RequireAuthorization(Roles.CanView);
        group.MapPost("/{name}/versions", RegisterVersion).RequireAuthorization(Roles.CanAdminister).DisableAntiforgery();
        group.MapGet("/{name}/versions/{version}", GetVersion).RequireAuthorization(Roles.CanView);
        group.MapGet("/{name}/versions/{version}/artifact", Artifact).RequireAuthorization(Roles.CanView);
        group.MapGet("/{name}/versions/{version}/reference-profile", ReferenceProfile).RequireAuthorization(Roles.CanView);
        group.MapPut("/{name}/aliases/{alias}", SetAlias).RequireAuthorization(Roles.CanAdminister);
        group.MapPost("/{name}/rollback", Rollback).RequireAuthorization(Roles.CanAdminister);
        group.MapPut("/{name}/base-dataset", UploadBaseDataset).RequireAuthorization(Roles.CanAdminister).DisableAntiforgery();
        group.MapGet("/{name}/base-dataset", BaseDataset).RequireAuthorization(Roles.CanView);
        group.MapGet("/{name}/base-dataset/info", BaseDatasetInfo).RequireAuthorization(Roles.CanView);
        group.MapDelete("/{name}/base-dataset", DeleteBaseDataset).RequireAuthorization(Roles.CanAdminister);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<ModelResponse>>> List(ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListAsync(ct));

    private static async Task<Ok<ModelResponse>> Get(string name, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.GetAsync(name, ct));

    private static async Task<Created<ModelResponse>> Register(RegisterModelRequest request, ModelRegistry registry, ClaimsPrincipal user, CancellationToken ct)
    {
        var model = await registry.RegisterAsync(request, user.Actor(), ct);
        return TypedResults.Created($"/api/models/{Uri.EscapeDataString(model.Name)}", model);
    }

    private static async Task<Ok<IReadOnlyList<VersionResponse>>> ListVersions(string name, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.ListVersionsAsync(name, ct));

    private static async Task<Ok<VersionResponse>> GetVersion(string name, string version, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Ok(await registry.GetVersionAsync(name, version, ct));

    /// <summary>
    /// multipart/form-data: <c>artifact</c> (the model file, required), <c>metadata</c> (JSON, optional), and at most
    /// one of <c>reference</c> (training data CSV: the registry builds the reference profile) or <c>referenceProfile</c> (JSON).
    /// </summary>
    private static async Task<Created<VersionResponse>> RegisterVersion(string name, HttpRequest request, ModelRegistry registry, IOptions<JsonOptions> json, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw RegistryException.Invalid("artifact", "Send multipart/form-data with an 'artifact' file part (and optional 'metadata' JSON, 'reference' CSV or 'referenceProfile' JSON).");
        var form = await ReadFormAsync(request, "artifact", ct);
        var artifact = form.Files.GetFile("artifact") ?? throw RegistryException.Invalid("artifact", "The 'artifact' file part is required.");
        RegisterVersionMetadata metadata = new();
        string? metadataJson = form["metadata"].FirstOrDefault();
        if (metadataJson is null && form.Files.GetFile("metadata") is { } metadataFile)
        {
            using var reader = new StreamReader(metadataFile.OpenReadStream());
            metadataJson = await reader.ReadToEndAsync(ct);
        }

        if (!string.IsNullOrWhiteSpace(metadataJson))
        {
            // Bytes that are not UTF-8 arrive here as U+FFFD: the form reader has already replaced them.
            if (metadataJson.Contains('\uFFFD', StringComparison.Ordinal))
                throw RegistryException.Invalid("metadata", "The metadata part is not valid UTF-8.");
            try
            {
                // The API's own JSON options: the same rule for every string as a JSON body.
                var type = (JsonTypeInfo<RegisterVersionMetadata>)json.Value.SerializerOptions.GetTypeInfo(typeof(RegisterVersionMetadata));
                metadata = JsonSerializer.Deserialize(metadataJson, type) ?? new();
            }
            catch (JsonException e)
            {
                throw RegistryException.Invalid("metadata", $"The metadata part is not valid: {e.Message}");
            }
        }

        byte[]? profile = null;
        if (form.Files.GetFile("referenceProfile") is { } profileFile)
        {
            using var buffer = new MemoryStream();
            await profileFile.CopyToAsync(buffer, ct);
            profile = buffer.ToArray();
        }
        else if (form["referenceProfile"].FirstOrDefault() is { } profileText)
        {
            profile = System.Text.Encoding.UTF8.GetBytes(profileText);
        }

        await using var artifactStream = artifact.OpenReadStream();
        await using var referenceStream = form.Files.GetFile("reference")?.OpenReadStream();
        var version = await registry.RegisterVersionAsync(name, artifactStream, artifact.FileName, metadata, referenceStream, profile, user.Actor(), ct);
        return TypedResults.Created($"/api/models/{Uri.EscapeDataString(name)}/versions/{version.Version}", version);
    }

    private static async Task<IResult> Artifact(string name, string version, ModelRegistry registry, HttpContext context, CancellationToken ct)
    {
        var (content, sha, fileName) = await registry.OpenArtifactAsync(name, version, ct);
        context.Response.Headers.ETag = $"\"{sha}\"";
        context.Response.Headers["X-Content-SHA256"] = sha;
        return TypedResults.File(content, "application/octet-stream", fileName, enableRangeProcessing: true);
    }

    /// <summary>multipart/form-data with a <c>dataset</c> CSV part: one column per feature and the label in <c>actual</c>.</summary>
    private static async Task<Ok<BaseDatasetResponse>> UploadBaseDataset(string name, HttpRequest request, BaseDatasets datasets, ClaimsPrincipal user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw RegistryException.Invalid("dataset", "Send multipart/form-data with a 'dataset' CSV file part.");
        var form = await ReadFormAsync(request, "dataset", ct);
        var file = form.Files.GetFile("dataset") ?? throw RegistryException.Invalid("dataset", "The 'dataset' file part is required.");
        await using var content = file.OpenReadStream();
        return TypedResults.Ok(await datasets.UploadAsync(name, content, file.FileName, user.Actor(), ct));
    }

    private static async Task<IResult> BaseDataset(string name, BaseDatasets datasets, HttpContext context, CancellationToken ct)
    {
        var (info, content) = await datasets.OpenAsync(name, ct);
        context.Response.Headers.ETag = $"\"{info.Sha256}\"";
        context.Response.Headers["X-Content-SHA256"] = info.Sha256;
        return TypedResults.File(content, "text/csv", info.FileName);
    }

    private static async Task<Ok<BaseDatasetResponse>> BaseDatasetInfo(string name, BaseDatasets datasets, CancellationToken ct) =>
        TypedResults.Ok(await datasets.GetAsync(name, ct));

    private static async Task<NoContent> DeleteBaseDataset(string name, BaseDatasets datasets, ClaimsPrincipal user, CancellationToken ct)
    {
        await datasets.DeleteAsync(name, user.Actor(), ct);
        return TypedResults.NoContent();
    }

    // A form the reader cannot parse (no boundary, a part header past its limit, a broken part) is the caller's error.
    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, string field, CancellationToken ct)
    {
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e)
        {
            throw RegistryException.Invalid(field, $"The body is not a readable multipart/form-data form: {e.Message}");
        }
    }

    private static async Task<IResult> ReferenceProfile(string name, string version, ModelRegistry registry, CancellationToken ct) =>
        TypedResults.Text(await registry.GetReferenceProfileAsync(name, version, ct), "application/json");

    private static async Task<Ok<AliasResponse>> SetAlias(string name, string alias, SetAliasRequest request, ModelRegistry registry, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await registry.SetAliasAsync(name, alias, request, user.Actor(), ct));

    private static async Task<Ok<AliasResponse>> Rollback(string name, RollbackRequest request, ModelRegistry registry, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await registry.RollbackAsync(name, request, user.Actor(), ct));
}
