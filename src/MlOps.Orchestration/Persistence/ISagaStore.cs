using MassTransit;

namespace MlOps.Orchestration.Persistence;

/// <summary>
/// Where a saga repository keeps instances (Dapper on SQLite or PostgreSQL). Each call is its own short transaction:
/// no lock is held while the state machine runs, so an activity may call other services that write to the same
/// database. Concurrency is optimistic, as in MassTransit's MongoDB repository.
/// </summary>
/// <typeparam name="TSaga">The saga instance.</typeparam>
public interface ISagaStore<TSaga> where TSaga : class, ISagaVersion
{
    /// <summary>The instance, or null.</summary>
    Task<TSaga?> LoadAsync(Guid correlationId, CancellationToken cancellationToken);

    /// <summary>Inserts a new instance (version 1); false when one with that id exists already (then the caller loads it).</summary>
    Task<bool> InsertAsync(TSaga instance, CancellationToken cancellationToken);

    /// <summary>Writes the instance if its stored version is still <see cref="ISagaVersion.Version"/>, then increments it; false on a conflict.</summary>
    Task<bool> UpdateAsync(TSaga instance, CancellationToken cancellationToken);

    /// <summary>Deletes the instance.</summary>
    Task DeleteAsync(TSaga instance, CancellationToken cancellationToken);
}
