using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlOps.Contracts.Registry;

namespace MlOps.Client.Registry;

/// <summary>
/// The model registry's HTTP API, typed: models, versions, artifacts, reference profiles, aliases, promotions and the
/// audit log. Errors arrive as one <see cref="MlOpsApiException"/> that carries the problem+json body.
/// </summary>
/// <remarks>
/// Give it an <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the registry's URL (ending in
/// <c>/</c> when the registry sits under a path) and that authenticates (see <see cref="CreateHttpClient"/>), or
/// register it as a typed client with <c>services.AddHttpClient&lt;RegistryClient&gt;(...)</c>. Thread-safe.
/// </remarks>
public sealed class RegistryClient(HttpClient http)
{
    /// <summary>The header that carries an API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private static readonly RegistryJsonContext Json = RegistryJsonContext.Default;

    private readonly ApiTransport _api = new(http);

    /// <summary>An <see cref="HttpClient"/> for <paramref name="registry"/> that sends <paramref name="apiKey"/> (if any) as <c>X-Api-Key</c>.</summary>
    public static HttpClient CreateHttpClient(Uri registry, string? apiKey, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var client = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) }, disposeHandler: true)
        {
            // Relative API paths resolve under the URL's path, so a registry behind a path prefix works too.
            BaseAddress = registry.AbsolutePath.EndsWith('/') ? registry : new Uri(registry.AbsoluteUri + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrWhiteSpace(apiKey))
            client.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey.Trim());
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    /// <summary>Where this client sends requests.</summary>
    public Uri? BaseAddress => http.BaseAddress;

    /// <summary>GET /api/models: every model with its aliases.</summary>
    public Task<IReadOnlyList<ModelResponse>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        GetAsync(RegistryPaths.Models, Json.IReadOnlyListModelResponse, cancellationToken);

    /// <summary>GET /api/models/{name}.</summary>
    public Task<ModelResponse> GetModelAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync(RegistryPaths.Model(name), Json.ModelResponse, cancellationToken);

    /// <summary>POST /api/models (admin).</summary>
    public Task<ModelResponse> RegisterModelAsync(RegisterModelRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(RegistryPaths.Models, request, Json.RegisterModelRequest, Json.ModelResponse, cancellationToken);

    /// <summary>GET /api/models/{name}/versions.</summary>
    public Task<IReadOnlyList<VersionResponse>> ListVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync(RegistryPaths.Versions(name), Json.IReadOnlyListVersionResponse, cancellationToken);

    /// <summary>GET /api/models/{name}/versions/{version}.</summary>
    public Task<VersionResponse> GetVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        GetAsync(RegistryPaths.Version(name, version), Json.VersionResponse, cancellationToken);

    /// <summary>POST /api/models/{name}/versions (admin): uploads an artifact, its metadata and optional reference data.</summary>
    public async Task<VersionResponse> RegisterVersionAsync(string name, VersionUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.ReferenceCsv is not null && upload.ReferenceProfile is not null)
            throw new ArgumentException("Send either a reference CSV or a reference profile, not both.", nameof(upload));
        using var form = new MultipartFormDataContent();
        var artifact = new StreamContent(upload.Artifact);
        artifact.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(artifact, "artifact", upload.ArtifactFileName);
        form.Add(new StringContent(JsonSerializer.Serialize(upload.Metadata, Json.RegisterVersionMetadata), Encoding.UTF8, "application/json"), "metadata");
        if (upload.ReferenceCsv is { } csv)
        {
            var content = new StreamContent(csv);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(content, "reference", upload.ReferenceCsvFileName);
        }
        else if (upload.ReferenceProfile is { } profile)
        {
            var content = new ReadOnlyMemoryContent(profile);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            form.Add(content, "referenceProfile", "reference-profile.json");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, RegistryPaths.Versions(name)) { Content = form };
        return await SendAsync(request, Json.VersionResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// GET /api/models/{name}/versions/{version}/artifact: copies the artifact into <paramref name="destination"/> and
    /// returns the SHA-256 the registry stored it under (hex, lower case). Verify it before loading the file.
    /// </summary>
    public async Task<string> DownloadArtifactAsync(string name, string version, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, RegistryPaths.Version(name, version) + "/artifact");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("X-Content-SHA256", out var values) ? values.First() : "";
    }

    /// <summary>
    /// GET /api/models/{name}/versions/{version}/reference-profile: the version's reference profile as JSON (read it
    /// with <c>MlOps.Statistics.Serialization.ProfileSerializer</c>), or null when the version has none.
    /// </summary>
    public async Task<byte[]?> GetReferenceProfileAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RegistryPaths.Version(name, version) + "/reference-profile");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // 404 means "no profile" only when the version exists; an unknown model or version is an error.
            await GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
            return null;
        }

        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// PUT /api/models/{name}/base-dataset (admin): sets the model's base dataset — a CSV with one column per feature and
    /// the label in <c>actual</c> — that every retraining run adds to its training split. Replaces an earlier one.
    /// </summary>
    public async Task<BaseDatasetResponse> UploadBaseDatasetAsync(string name, Stream csv, string fileName = "base.csv", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var form = new MultipartFormDataContent();
        var content = new StreamContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "dataset", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Put, RegistryPaths.Model(name) + "/base-dataset") { Content = form };
        return await SendAsync(request, Json.BaseDatasetResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /api/models/{name}/base-dataset/info: the model's base dataset, or null when it has none.</summary>
    public async Task<BaseDatasetResponse?> GetBaseDatasetAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(RegistryPaths.Model(name) + "/base-dataset/info", Json.BaseDatasetResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (MlOpsApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound && e.Problem?.Detail?.Contains("no base dataset", StringComparison.Ordinal) == true)
        {
            return null;
        }
    }

    /// <summary>GET /api/models/{name}/base-dataset: copies the CSV into <paramref name="destination"/>; returns its SHA-256.</summary>
    public async Task<string> DownloadBaseDatasetAsync(string name, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, RegistryPaths.Model(name) + "/base-dataset");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        await response.Content.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("X-Content-SHA256", out var values) ? values.First() : "";
    }

    /// <summary>PUT /api/models/{name}/aliases/{alias} (admin; not <c>champion</c>, which moves only by promotion or rollback).</summary>
    public Task<AliasResponse> SetAliasAsync(string name, string alias, string version, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{RegistryPaths.Model(name)}/aliases/{Uri.EscapeDataString(alias)}")
        {
            Content = JsonContent(new SetAliasRequest { Version = version }, Json.SetAliasRequest),
        };
        return SendAndDisposeAsync(request, Json.AliasResponse, cancellationToken);
    }

    /// <summary>POST /api/models/{name}/rollback (admin): makes an earlier version champion again.</summary>
    public Task<AliasResponse> RollbackAsync(string name, RollbackRequest request, CancellationToken cancellationToken = default) =>
        PostAsync(RegistryPaths.Model(name) + "/rollback", request, Json.RollbackRequest, Json.AliasResponse, cancellationToken);

    /// <summary>GET /api/promotions, newest first, optionally of one model and/or in one state.</summary>
    public Task<IReadOnlyList<PromotionResponse>> ListPromotionsAsync(string? model = null, string? state = null, CancellationToken cancellationToken = default) =>
        GetAsync(RegistryPaths.PromotionList(model, state), Json.IReadOnlyListPromotionResponse, cancellationToken);

    /// <summary>GET /api/promotions/{id}.</summary>
    public Task<PromotionResponse> GetPromotionAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync(RegistryPaths.Promotion(id), Json.PromotionResponse, cancellationToken);

    /// <summary>POST /api/promotions (approver): asks for a version to become champion.</summary>
    public Task<PromotionResponse> RequestPromotionAsync(PromotionRequestBody request, CancellationToken cancellationToken = default) =>
        PostAsync(RegistryPaths.Promotions, request, Json.PromotionRequestBody, Json.PromotionResponse, cancellationToken);

    /// <summary>POST /api/promotions/{id}/approve (approver).</summary>
    public Task<PromotionResponse> ApprovePromotionAsync(string id, string? comment = null, CancellationToken cancellationToken = default) =>
        DecideAsync(id, "approve", comment, cancellationToken);

    /// <summary>POST /api/promotions/{id}/reject (approver).</summary>
    public Task<PromotionResponse> RejectPromotionAsync(string id, string? comment = null, CancellationToken cancellationToken = default) =>
        DecideAsync(id, "reject", comment, cancellationToken);

    /// <summary>POST /api/promotions/{id}/cancel (its requester, or an admin).</summary>
    public Task<PromotionResponse> CancelPromotionAsync(string id, string? comment = null, CancellationToken cancellationToken = default) =>
        DecideAsync(id, "cancel", comment, cancellationToken);

    /// <summary>POST /api/promotions/{id}/{decision} for <c>approve</c>, <c>reject</c> or <c>cancel</c>.</summary>
    public Task<PromotionResponse> DecideAsync(string id, string decision, string? comment = null, CancellationToken cancellationToken = default) =>
        decision is "approve" or "reject" or "cancel"
            ? PostAsync($"{RegistryPaths.Promotion(id)}/{decision}", new DecisionRequest { Comment = comment }, Json.DecisionRequest, Json.PromotionResponse, cancellationToken)
            : throw new ArgumentException($"'{decision}' is not approve, reject or cancel.", nameof(decision));

    /// <summary>GET /api/audit: entries newest first (<paramref name="before"/>: an entry id to page from; at most 1 000).</summary>
    public Task<IReadOnlyList<AuditResponse>> ListAuditAsync(string? model = null, long? before = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (model is not null)
            query.Add("model=" + Uri.EscapeDataString(model));
        if (before is { } b)
            query.Add("before=" + b.ToString(CultureInfo.InvariantCulture));
        if (limit is { } l)
            query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        return GetAsync(query.Count == 0 ? "api/audit" : "api/audit?" + string.Join('&', query), Json.IReadOnlyListAuditResponse, cancellationToken);
    }

    /// <summary>GET /api/me: who the registry takes the caller for, and their role.</summary>
    public Task<MeResponse> MeAsync(CancellationToken cancellationToken = default) => GetAsync("api/me", Json.MeResponse, cancellationToken);

    private Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) => _api.GetAsync(path, type, cancellationToken);

    private Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        _api.PostAsync(path, body, requestType, responseType, cancellationToken);

    private Task<T> SendAndDisposeAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken) => _api.SendAndDisposeAsync(request, type, cancellationToken);

    private Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken) => _api.SendAsync(request, type, cancellationToken);

    private static Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken) => ApiTransport.EnsureSuccessAsync(response, cancellationToken);

    private static StringContent JsonContent<T>(T body, JsonTypeInfo<T> type) => ApiTransport.JsonContent(body, type);
}
