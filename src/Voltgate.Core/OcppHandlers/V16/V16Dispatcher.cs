using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Stations;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>A handler of one station-to-server OCPP 1.6 action, registered keyed by the action name.</summary>
public interface IV16Handler
{
    Task<object> HandleAsync(OcppStationContext station, object request, CancellationToken ct);
}

public abstract class V16Handler<TRequest, TResponse> : IV16Handler
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
public sealed class V16Dispatcher(IServiceProvider services, IStationDirectory stations) : IOcppDispatcher
{
    public async Task<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct)
    {
        if (!V16Catalog.TryGet(action, out var descriptor))
        {
            return DispatchResult.Fail(OcppErrorCodes.NotImplemented, $"Unknown action '{Truncate(action)}'.");
        }

        if (descriptor.Direction == OcppDirection.CsmsToStation)
        {
            return DispatchResult.Fail(OcppErrorCodes.NotSupported, $"{action} is sent by the central system, not by a charge point.");
        }

        var handler = services.GetKeyedService<IV16Handler>(action);
        if (handler is null)
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

        var response = await handler.HandleAsync(station, request, ct);
        return DispatchResult.Ok(JsonSerializer.SerializeToUtf8Bytes(response, descriptor.ResponseTypeInfo));
    }

    private static string Truncate(string action) => action.Length <= 50 ? action : action[..50];
}
