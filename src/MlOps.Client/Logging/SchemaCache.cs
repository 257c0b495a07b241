using System.Collections.Concurrent;
using System.Net;
using MlOps.Client.Registry;
using MlOps.Contracts.Schemas;

namespace MlOps.Client.Logging;

/// <summary>
/// Model schemas read from the registry once per model and kept. A model the registry does not know, or a registry that
/// cannot be reached, is remembered for the retry interval so the sender does not ask on every event.
/// </summary>
internal sealed class SchemaCache(RegistryClient? registry, TimeSpan requestTimeout, TimeSpan retryInterval, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>What is known of a model right now.</summary>
    public enum State
    {
        /// <summary>Never asked, or the last answer is older than the retry interval: ask the registry.</summary>
        Unknown,

        /// <summary>The schema is cached.</summary>
        Known,

        /// <summary>The registry said there is no such model (within the retry interval).</summary>
        NoSuchModel,

        /// <summary>The registry could not be reached (within the retry interval).</summary>
        Unreachable,
    }

    /// <summary>Whether a registry is configured at all.</summary>
    public bool Enabled => registry is not null;

    /// <summary>The cached schema, or null: the validator's lookup.</summary>
    public ModelSchema? Find(string model) => _entries.TryGetValue(model, out var entry) ? entry.Schema : null;

    /// <summary>What is known of <paramref name="model"/> without asking.</summary>
    public State Peek(string model)
    {
        if (!_entries.TryGetValue(model, out var entry))
            return State.Unknown;
        if (entry.Schema is not null)
            return State.Known;
        return time.GetUtcNow() - entry.At < retryInterval ? entry.State : State.Unknown;
    }

    /// <summary>Asks the registry when <see cref="Peek"/> says so; never throws (other than cancellation).</summary>
    public async Task<(State State, string? Error)> ResolveAsync(string model, CancellationToken cancellationToken)
    {
        var state = Peek(model);
        if (state != State.Unknown || registry is null)
            return (registry is null ? State.Unreachable : state, _entries.TryGetValue(model, out var e) ? e.Error : null);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        Entry entry;
        try
        {
            var response = await registry.GetModelAsync(model, timeout.Token).ConfigureAwait(false);
            entry = new Entry(State.Known, response.Schema, null, time.GetUtcNow());
        }
        catch (MlOpsApiException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            entry = new Entry(State.NoSuchModel, null, ex.Message, time.GetUtcNow());
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or MlOpsApiException or OperationCanceledException or System.Text.Json.JsonException)
        {
            string error = ex is OperationCanceledException ? $"no answer within {requestTimeout.TotalSeconds:0.#} s" : ex.Message;
            entry = new Entry(State.Unreachable, null, error, time.GetUtcNow());
        }

        _entries[model] = entry;
        return (entry.State, entry.Error);
    }

    private sealed record Entry(State State, ModelSchema? Schema, string? Error, DateTimeOffset At);
}
