using System.Net;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Listes360.Storage.AzureTables;

/// <summary>
/// Orleans grain storage on Azure Table storage: one entity per grain state (layout in
/// <see cref="StateEntity"/>, keys in <see cref="TableKeys"/>), with the entity's ETag as the
/// grain state's ETag for optimistic concurrency.
/// </summary>
public sealed class AzureTableGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly AzureTableGrainStorageOptions _options;
    private readonly TableClient _table;
    private readonly IActivatorProvider? _activators;
    private readonly ILogger _logger;

    public AzureTableGrainStorage(string name, AzureTableGrainStorageOptions options)
        : this(name, options, activators: null, logger: null)
    {
    }

    public AzureTableGrainStorage(string name, AzureTableGrainStorageOptions options, IActivatorProvider? activators, ILogger<AzureTableGrainStorage>? logger)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(name);
        _name = name;
        _options = options;
        _table = options.CreateTableClient(name);
        _activators = activators;
        _logger = logger ?? NullLogger<AzureTableGrainStorage>.Instance;
    }

    internal static AzureTableGrainStorage Create(IServiceProvider services, string name) =>
        new(name,
            services.GetRequiredService<IOptionsMonitor<AzureTableGrainStorageOptions>>().Get(name),
            services.GetService<IActivatorProvider>(),
            services.GetService<ILogger<AzureTableGrainStorage>>());

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(AzureTableGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, InitAsync);

    /// <summary>Creates the table when configured to; a silo whose storage is unreachable must not start.</summary>
    public async Task InitAsync(CancellationToken cancellationToken)
    {
        if (!_options.CreateTableIfNotExists)
        {
            return;
        }
        try
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _logger.LogInformation("Azure Table grain storage {Provider} uses table {Table}", _name, _table.Name);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            // AggregateException: Azure.Core's retries all failed, e.g. nothing listens at the endpoint.
            throw new OrleansException(
                $"Azure Table grain storage '{_name}' could not create table '{_table.Name}' at {_table.Uri}: {e.Message}", e);
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = TableKeys.For(grainId, stateName);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is null)
        {
            Reset(grainState);
            return;
        }

        var entity = response.Value;
        CheckOwner(entity, grainId, stateName);
        grainState.State = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData(StateEntity.ReadData(entity)));
        grainState.ETag = entity.ETag.ToString();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = TableKeys.For(grainId, stateName);
        var data = _options.GrainStorageSerializer.Serialize(grainState.State).ToMemory();
        var entity = StateEntity.Create(key, grainId, stateName, typeof(T), data);
        ThrowIfTooLarge(grainId, stateName, data.Length, entity);

        try
        {
            var response = grainState.ETag is null
                ? await _table.AddEntityAsync(entity, cancellationToken)
                : await _table.UpdateEntityAsync(entity, new ETag(grainState.ETag), TableUpdateMode.Replace, cancellationToken);
            grainState.ETag = response.Headers.ETag?.ToString();
            grainState.RecordExists = true;
        }
        catch (RequestFailedException e) when (IsConcurrencyConflict(e))
        {
            throw await InconsistentStateAsync("write", key, grainId, stateName, grainState.ETag, e, cancellationToken);
        }
    }

    /// <summary>
    /// Deletes the entity if its ETag still matches. A null ETag means the caller believes nothing is
    /// stored: if something is, another activation wrote it, which is a conflict too.
    /// </summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var key = TableKeys.For(grainId, stateName);
        if (grainState.ETag is null)
        {
            var stored = await StoredETagAsync(key, cancellationToken);
            if (stored is not null)
            {
                throw new InconsistentStateException(
                    $"Clear of grain state '{stateName}' of grain '{grainId}' refused: a state this activation never read is stored (ETag {stored}).",
                    stored, currentEtag: null);
            }
        }
        else
        {
            try
            {
                await _table.DeleteEntityAsync(key.PartitionKey, key.RowKey, new ETag(grainState.ETag), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound && !IsTableMissing(e))
            {
                // Already gone: the outcome the caller asked for.
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed)
            {
                throw await InconsistentStateAsync("clear", key, grainId, stateName, grainState.ETag, e, cancellationToken);
            }
        }
        Reset(grainState);
    }

    private void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = _activators is null ? Activator.CreateInstance<T>() : _activators.GetActivator<T>().Create();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Guards against a hashed key shared by two grains (see <see cref="TableKeys"/>):
    /// returning another grain's state would be far worse than failing.</summary>
    private static void CheckOwner(TableEntity entity, GrainId grainId, string stateName)
    {
        var storedId = entity.GetString(StateEntity.GrainIdProperty);
        var storedState = entity.GetString(StateEntity.StateNameProperty);
        if (storedId != grainId.ToString() || storedState != stateName)
        {
            throw new OrleansException(
                $"Entity {entity.PartitionKey}/{entity.RowKey} holds state '{storedState}' of grain '{storedId}', "
                + $"not state '{stateName}' of grain '{grainId}' (table key collision).");
        }
    }

    private void ThrowIfTooLarge(GrainId grainId, string stateName, int dataLength, TableEntity entity)
    {
        if (dataLength > StateEntity.MaxStateBytes)
        {
            throw TooLarge(grainId, stateName, dataLength, StateEntity.MaxStateBytes);
        }
        var entitySize = StateEntity.EstimateSize(entity);
        if (entitySize > StateEntity.MaxEntityBytes)
        {
            throw TooLarge(grainId, stateName, entitySize, StateEntity.MaxEntityBytes);
        }
    }

    private GrainStateTooLargeException TooLarge(GrainId grainId, string stateName, long size, long limit)
    {
        _logger.LogError("Azure Table grain storage {Provider}: state {StateName} of grain {GrainId} is {Size} bytes, over {Limit}; write refused",
            _name, stateName, grainId, size, limit);
        return new GrainStateTooLargeException(grainId.ToString(), stateName, size, limit);
    }

    /// <summary>409 on insert (someone created it first), 412 on update (someone wrote since our
    /// read) and 404 on update (someone cleared it) all mean this activation's view is stale; the
    /// same statuses about the table itself are configuration or operations problems instead.</summary>
    private static bool IsConcurrencyConflict(RequestFailedException e) =>
        (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        && !IsTableMissing(e);

    private static bool IsTableMissing(RequestFailedException e) =>
        e.ErrorCode == TableErrorCode.TableNotFound.ToString() || e.ErrorCode == TableErrorCode.TableBeingDeleted.ToString();

    private async Task<InconsistentStateException> InconsistentStateAsync(
        string operation, TableKey key, GrainId grainId, string stateName, string? currentETag, RequestFailedException e, CancellationToken cancellationToken)
    {
        var stored = await StoredETagAsync(key, cancellationToken);
        return new InconsistentStateException(
            $"Azure Table grain storage '{_name}': {operation} of state '{stateName}' of grain '{grainId}' refused, "
            + $"the stored state changed since it was read (HTTP {e.Status}; stored ETag {stored ?? "none"}, this activation's {currentETag ?? "none"}).",
            stored, currentETag, e);
    }

    /// <summary>ETag of the stored entity, for diagnostics and the null-ETag clear check; selects a
    /// single small property so a large state is not downloaded.</summary>
    private async Task<string?> StoredETagAsync(TableKey key, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(
            key.PartitionKey, key.RowKey, [StateEntity.DataPartsProperty], cancellationToken);
        return response.HasValue && response.Value is not null ? response.Value.ETag.ToString() : null;
    }
}
