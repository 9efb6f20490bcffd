using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Access;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Ocpp;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Ocpp.V201;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>A handler of one station-to-CSMS OCPP 2.0.1 action, registered keyed by the action name.</summary>
internal interface IV201Handler
{
    Task<object> HandleAsync(OcppStationContext station, object request, CancellationToken ct);
}

internal abstract class V201Handler<TRequest, TResponse> : IV201Handler
    where TRequest : class
    where TResponse : class
{
    public abstract Task<TResponse> HandleAsync(OcppStationContext station, TRequest request, CancellationToken ct);

    async Task<object> IV201Handler.HandleAsync(OcppStationContext station, object request, CancellationToken ct) =>
        await HandleAsync(station, (TRequest)request, ct);
}

/// <summary>
/// The OCPP 2.0.1 routing table in action, as <see cref="V16.V16Dispatcher"/> for 1.6: known action? → right
/// direction? → station accepted? → schema-valid? → deserialise → handler → serialise. Refusals carry OCPP-J 2.0.1's
/// codes (FormatViolation, OccurrenceConstraintViolation, …). The handlers map onto the same domain services as 1.6.
/// </summary>
/// <remarks>Every handler runs in a DI scope of its own (tenant and audit actor set); 2.0.1 has no unscoped fast path yet.</remarks>
internal sealed class V201Dispatcher(IServiceProviderIsKeyedService registered, IServiceScopeFactory scopes, IStationDirectory stations)
{
    public async ValueTask<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct)
    {
        if (!V201Catalog.TryGet(action, out var descriptor))
        {
            // A 1.6 action (StartTransaction, …) on a 2.0.1 connection is as unknown as a made-up one, but saying so helps.
            return DispatchResult.Fail(V201ErrorCodes.NotImplemented, V16Catalog.TryGet(action, out _)
                ? $"{Truncate(action)} is an OCPP 1.6 action; this connection speaks OCPP 2.0.1."
                : $"Unknown action '{Truncate(action)}'.");
        }

        if (descriptor.Direction == OcppDirection.CsmsToStation)
        {
            return DispatchResult.Fail(V201ErrorCodes.NotSupported, $"{action} is sent by the CSMS, not by a charging station.");
        }

        if (!registered.IsKeyedService(typeof(IV201Handler), action))
        {
            return DispatchResult.Fail(V201ErrorCodes.NotImplemented, $"{action} is not supported by this server.");
        }

        // OCPP 2.0.1 B02/B03: until the station is Accepted the CSMS answers anything but a boot with SecurityError.
        if (action != "BootNotification")
        {
            var info = await stations.FindAsync(station.TenantId, station.Identity, ct);
            // B02: a Pending station may be asked for its device model (GetBaseReport) and answers with NotifyReport.
            var pendingReport = action == "NotifyReport" && info?.RegistrationStatus == Stations.RegistrationStatus.Pending;
            if (info is null || (info.RegistrationStatus != Stations.RegistrationStatus.Accepted && !pendingReport))
            {
                return DispatchResult.Fail(V201ErrorCodes.SecurityError, "The charging station is not accepted; send BootNotification first.");
            }
        }

        if (descriptor.ValidateRequest(payload) is { } violation)
        {
            return DispatchResult.Fail(violation.ErrorCode, violation.Description);
        }

        object request;
        try
        {
            request = JsonSerializer.Deserialize(payload, descriptor.RequestTypeInfo) ?? throw new JsonException("null payload");
        }
        catch (JsonException)
        {
            return DispatchResult.Fail(V201ErrorCodes.FormatViolation, $"The {action} payload could not be read.");
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(station.TenantId);
        scope.ServiceProvider.GetRequiredService<ActorContext>().Actor = station.Actor;
        object response;
        try
        {
            response = await scope.ServiceProvider.GetRequiredKeyedService<IV201Handler>(action).HandleAsync(station, request, ct);
        }
        catch (InputRefusedException refused)
        {
            return Refused(refused);
        }

        return DispatchResult.Ok(JsonSerializer.SerializeToUtf8Bytes(response, descriptor.ResponseTypeInfo));
    }

    // The domain's plausibility refusal under 2.0.1's own error names (docs/reliability.md, "Bounded growth and plausibility").
    private static DispatchResult Refused(InputRefusedException refused) => DispatchResult.Fail(refused.Problem switch
    {
        InputProblem.OutOfRange => V201ErrorCodes.PropertyConstraintViolation,
        InputProblem.TooMany => V201ErrorCodes.OccurrenceConstraintViolation,
        _ => V201ErrorCodes.GenericError,
    }, refused.Message);

    private static string Truncate(string action) => action.Length <= 50 ? action : action[..50];
}
