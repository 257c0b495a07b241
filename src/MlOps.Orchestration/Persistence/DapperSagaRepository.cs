using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Saga;

namespace MlOps.Orchestration.Persistence;

/// <summary>
/// A MassTransit saga repository over an <see cref="ISagaStore{TSaga}"/>, shaped like MassTransit's own repositories
/// (<c>ISagaRepositoryContextFactory</c> registered with <c>RegisterSagaRepository</c>): <c>Insert</c> returns null
/// when another consumer created the instance first, so the pipeline loads it; <c>Update</c> throws
/// <see cref="SagaVersionConflictException"/> when the stored version moved, and the endpoint's retry reloads it.
/// </summary>
public static class DapperSagaRepository
{
    /// <summary>Stores the saga through the <see cref="ISagaStore{TSaga}"/> registered in the container.</summary>
    public static ISagaRegistrationConfigurator<T> DapperRepository<T>(this ISagaRegistrationConfigurator<T> configurator)
        where T : class, ISagaVersion
    {
        configurator.Repository(r => r.RegisterSagaRepository<T, ISagaStore<T>, DapperSagaConsumeContextFactory<T>, DapperSagaRepositoryContextFactory<T>>());
        return configurator;
    }
}

/// <summary>Creates the consume context of a saga instance (nothing store-specific: the repository context writes).</summary>
public sealed class DapperSagaConsumeContextFactory<TSaga> : ISagaConsumeContextFactory<ISagaStore<TSaga>, TSaga>
    where TSaga : class, ISagaVersion
{
    /// <inheritdoc />
    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ISagaStore<TSaga> context, ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        Task.FromResult<SagaConsumeContext<TSaga, T>>(new DefaultSagaConsumeContext<TSaga, T>(consumeContext, instance));
}

/// <summary>Gives each consumed message a repository context over the store.</summary>
public sealed class DapperSagaRepositoryContextFactory<TSaga>(ISagaStore<TSaga> store, ISagaConsumeContextFactory<ISagaStore<TSaga>, TSaga> factory) :
    ISagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISagaVersion
{
    /// <inheritdoc />
    public void Probe(ProbeContext context) => context.Add("persistence", "dapper");

    /// <inheritdoc />
    public Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class =>
        next.Send(new DapperSagaRepositoryContext<TSaga, T>(store, context, factory));

    /// <inheritdoc />
    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class =>
        throw new NotImplementedByDesignException("The Dapper saga repository correlates by id only (one saga per model); it does not run queries.");
}

/// <summary>The repository operations for one consumed message.</summary>
public sealed class DapperSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISagaVersion
    where TMessage : class
{
    private readonly ISagaStore<TSaga> _store;
    private readonly ConsumeContext<TMessage> _consumeContext;
    private readonly ISagaConsumeContextFactory<ISagaStore<TSaga>, TSaga> _factory;

    /// <summary>A context for one message.</summary>
    public DapperSagaRepositoryContext(ISagaStore<TSaga> store, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<ISagaStore<TSaga>, TSaga> factory)
        : base(consumeContext)
    {
        _store = store;
        _consumeContext = consumeContext;
        _factory = factory;
    }

    /// <inheritdoc />
    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        _factory.CreateSagaConsumeContext(_store, _consumeContext, instance, SagaConsumeContextMode.Add);

    /// <inheritdoc />
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        if (!await _store.InsertAsync(instance, CancellationToken).ConfigureAwait(false))
            return null!; // created by another consumer at the same moment: the pipeline loads that one
        return await _factory.CreateSagaConsumeContext(_store, _consumeContext, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await _store.LoadAsync(correlationId, CancellationToken).ConfigureAwait(false);
        return instance is null ? null! : await _factory.CreateSagaConsumeContext(_store, _consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task Save(SagaConsumeContext<TSaga> context)
    {
        // Add mode: a new instance that was not inserted first; a twin that won the race makes this a conflict.
        if (!await _store.InsertAsync(context.Saga, CancellationToken).ConfigureAwait(false))
            throw new SagaVersionConflictException("The saga was created by another consumer at the same moment", typeof(TSaga), context.Saga.CorrelationId);
    }

    /// <inheritdoc />
    public async Task Update(SagaConsumeContext<TSaga> context)
    {
        if (!await _store.UpdateAsync(context.Saga, CancellationToken).ConfigureAwait(false))
            throw new SagaVersionConflictException($"The saga changed since it was loaded (version {context.Saga.Version})", typeof(TSaga), context.Saga.CorrelationId);
    }

    /// <inheritdoc />
    public Task Delete(SagaConsumeContext<TSaga> context) => _store.DeleteAsync(context.Saga, CancellationToken);

    /// <inheritdoc />
    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task Undo(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_store, consumeContext, instance, mode);
}

/// <summary>The saga row changed (or was created) by another consumer since this one read it; a retry reloads it.</summary>
public sealed class SagaVersionConflictException(string message, Type sagaType, Guid correlationId) : SagaException(message, sagaType, correlationId);
