using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;

namespace MlOps.Client.Platform;

/// <summary>The orchestrator's HTTP API, typed: start a retraining run, list runs, read one with its state history.</summary>
public sealed class RetrainingClient(HttpClient http)
{
    private readonly ApiTransport _api = new(http);

    /// <summary>
    /// POST /api/retraining (approver): asks for a run. Answers the run the trigger started, joined or was skipped
    /// as, once the orchestrator recorded it (the request is asynchronous: it waits a few seconds for that).
    /// </summary>
    public Task<RetrainingRunResponse> RequestAsync(string model, string? reason = null, CancellationToken cancellationToken = default) =>
        _api.PostAsync("api/retraining", new RetrainingRequestBody { Model = model, Reason = reason }, RegistryJsonContext.Default.RetrainingRequestBody, RegistryJsonContext.Default.RetrainingRunResponse, cancellationToken);

    /// <summary>GET /api/retraining?model=: runs, newest first.</summary>
    public Task<IReadOnlyList<RetrainingRunResponse>> ListAsync(string? model = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync(model is null ? "api/retraining" : "api/retraining?model=" + Uri.EscapeDataString(model), RegistryJsonContext.Default.IReadOnlyListRetrainingRunResponse, cancellationToken);

    /// <summary>GET /api/retraining/{id}.</summary>
    public Task<RetrainingRunResponse> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync("api/retraining/" + Uri.EscapeDataString(id), RegistryJsonContext.Default.RetrainingRunResponse, cancellationToken);
}
