using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Access;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>A handler of one station-to-server OCPP 1.6 action, registered keyed by the action name.</summary>
internal interface IV16Handler
{
    Task<object> HandleAsync(OcppStationContext station, object request, CancellationToken ct);
}

/// <summary>
/// A handler of a frequent action that reads its schema-valid payload straight from the JSON and answers with the
/// response's JSON: no request object graph is deserialised per message.
/// </summary>
/// <remarks>Throws <see cref="FormatException"/> for a value the schema allows but the handler cannot read.</remarks>
internal interface IV16PayloadHandler
{
    ValueTask<byte[]> HandleAsync(OcppStationContext station, JsonElement payload, CancellationToken ct);
}

internal abstract class V16Handler<TRequest, TResponse> : IV16Handler
    where TRequest : class
    where TResponse : class
{
    public abstract Task<TResponse> HandleAsync(OcppStationContext station, TRequest request, CancellationToken ct);

    async Task<object> IV16Handler.HandleAsync(OcppStationContext station, object request, CancellationToken ct) =>
        await HandleAsync(station, (TRequest)request, ct);
}

/// <summary>
/// The OCPP 1.6 routing table in action: known action? → right direction? → station accepted? → schema-valid? →
/// deserialise → handler → serialise. Each refusal is the error code OCPP-J 1.6 names for it.
/// </summary>
/// <remarks>
/// A singleton. Handlers whose services are scoped (a DbContext behind them) get a DI scope of their own, with the
/// station's tenant and the audit actor set; the frequent messages' handlers are singletons and get none.
/// </remarks>
internal sealed class V16Dispatcher(
    IServiceProvider services, IServiceProviderIsKeyedService registered, IServiceScopeFactory scopes, V16UnscopedActions unscoped, IStationDirectory stations)
    : IOcppDispatcher
{
    // ValueTask: a message answered without waiting (Heartbeat) allocates no Task on its way out.
    public async ValueTask<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct)
    {
        if (!V16Catalog.TryGet(action, out var descriptor))
        {
            return DispatchResult.Fail(OcppErrorCodes.NotImplemented, $"Unknown action '{Truncate(action)}'.");
        }

        if (descriptor.Direction == OcppDirection.CsmsToStation)
        {
            return DispatchResult.Fail(OcppErrorCodes.NotSupported, $"{action} is sent by the central system, not by a charge point.");
        }

        var scoped = !unscoped.Contains(action);
        if (scoped && !registered.IsKeyedService(typeof(IV16Handler), action))
        {
            return DispatchResult.Fail(OcppErrorCodes.NotImplemented, $"{action} is not supported by this server.");
        }

        // OCPP 1.6 §4.2 and errata §3.8: until the station is Accepted it may only boot.
        if (action != "BootNotification")
        {
            var info = await stations.FindAsync(station.TenantId, station.Identity, ct);
            if (info is null || info.RegistrationStatus != Stations.RegistrationStatus.Accepted)
            {
                return DispatchResult.Fail(OcppErrorCodes.SecurityError, "The charge point is not accepted; send BootNotification first.");
            }
        }

        if (descriptor.ValidateRequest(payload) is { } violation)
        {
            return DispatchResult.Fail(violation.ErrorCode, violation.Description);
        }

        if (unscoped.ReadsPayload(action))
        {
            return await HandlePayloadAsync(station, action, payload, ct);
        }

        object request;
        try
        {
            request = JsonSerializer.Deserialize(payload, descriptor.RequestTypeInfo)
                ?? throw new JsonException("null payload");
        }
        catch (JsonException)
        {
            return DispatchResult.Fail(OcppErrorCodes.FormationViolation, $"The {action} payload could not be read.");
        }

        object response;
        try
        {
            response = scoped
                ? await HandleScopedAsync(station, action, request, ct)
                : await services.GetRequiredKeyedService<IV16Handler>(action).HandleAsync(station, request, ct);
        }
        catch (InputRefusedException refused)
        {
            return Refused(refused);
        }

        return DispatchResult.Ok(JsonSerializer.SerializeToUtf8Bytes(response, descriptor.ResponseTypeInfo));
    }

    private async ValueTask<DispatchResult> HandlePayloadAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct)
    {
        try
        {
            return DispatchResult.Ok(await services.GetRequiredKeyedService<IV16PayloadHandler>(action).HandleAsync(station, payload, ct));
        }
        catch (FormatException)
        {
            return DispatchResult.Fail(OcppErrorCodes.FormationViolation, $"The {action} payload could not be read.");
        }
        catch (InputRefusedException refused)
        {
            return Refused(refused);
        }
    }

    // The domain's refusal as OCPP-J 1.6 names it (docs/reliability.md, "Bounded growth and plausibility").
    private static DispatchResult Refused(InputRefusedException refused) => DispatchResult.Fail(refused.Problem switch
    {
        InputProblem.OutOfRange => OcppErrorCodes.PropertyConstraintViolation,
        InputProblem.TooMany => OcppErrorCodes.OccurenceConstraintViolation,
        _ => OcppErrorCodes.GenericError,
    }, refused.Message);

    private async Task<object> HandleScopedAsync(OcppStationContext station, string action, object request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(station.TenantId);
        scope.ServiceProvider.GetRequiredService<ActorContext>().Actor = station.Actor;
        return await scope.ServiceProvider.GetRequiredKeyedService<IV16Handler>(action).HandleAsync(station, request, ct);
    }

    private static string Truncate(string action) => action.Length <= 50 ? action : action[..50];
}
