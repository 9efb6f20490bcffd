using System.Text.Json;

namespace Voltgate.Core.OcppHandlers;

/// <summary>
/// A handler of one station-to-CSMS action. Each protocol version derives a marker interface of its own
/// (<see cref="V16.IV16Handler"/>, <see cref="V201.IV201Handler"/>) and registers its handlers keyed by action under it.
/// </summary>
internal interface IOcppActionHandler
{
    Task<object> HandleAsync(OcppStationContext station, object request, CancellationToken ct);
}

/// <summary>
/// A handler of a frequent action that reads its schema-valid payload straight from the JSON and answers with the
/// response's JSON: no request object graph is deserialised per message.
/// </summary>
/// <remarks>Throws <see cref="FormatException"/> for a value the schema allows but the handler cannot read.</remarks>
internal interface IOcppPayloadHandler
{
    ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct);
}

/// <summary>A typed handler: the dispatcher hands it the deserialised request and serialises what it answers.</summary>
internal abstract class OcppActionHandler<TRequest, TResponse> : IOcppActionHandler
    where TRequest : class
    where TResponse : class
{
    public abstract Task<TResponse> HandleAsync(OcppStationContext station, TRequest request, CancellationToken ct);

    async Task<object> IOcppActionHandler.HandleAsync(OcppStationContext station, object request, CancellationToken ct) =>
        await HandleAsync(station, (TRequest)request, ct);
}

/// <summary>
/// The actions of one version (<typeparamref name="THandler"/>) whose handlers are singletons and run without a DI
/// scope: the frequent messages, which go through the group-commit writer and need no DbContext of their own.
/// </summary>
internal sealed class UnscopedActions<THandler>
{
    private readonly HashSet<string> _actions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _payloadReaders = new(StringComparer.Ordinal);

    public bool Contains(string action) => _actions.Contains(action);

    /// <summary>The action's handler is an <see cref="IOcppPayloadHandler"/>.</summary>
    public bool ReadsPayload(string action) => _payloadReaders.Contains(action);

    internal void Add(string action) => _actions.Add(action);

    internal void AddPayloadReader(string action)
    {
        _actions.Add(action);
        _payloadReaders.Add(action);
    }
}
