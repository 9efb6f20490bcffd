using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Stations;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;
using Voltgate.Ocpp.V201;

namespace Voltgate.Core.OcppHandlers.V201;

/// <summary>A handler of one station-to-CSMS OCPP 2.0.1 action, registered keyed by the action name.</summary>
internal interface IV201Handler : IOcppActionHandler;

/// <summary>A 2.0.1 handler that reads its payload straight from the JSON (see <see cref="IOcppPayloadHandler"/>).</summary>
internal interface IV201PayloadHandler : IOcppPayloadHandler;

internal abstract class V201Handler<TRequest, TResponse> : OcppActionHandler<TRequest, TResponse>, IV201Handler
    where TRequest : class
    where TResponse : class;

/// <summary>
/// The OCPP 2.0.1 routing table in action, as <see cref="V16.V16Dispatcher"/> for 1.6, with OCPP-J 2.0.1's codes
/// (FormatViolation, OccurrenceConstraintViolation, …). The handlers map onto the same domain services as 1.6.
/// </summary>
internal sealed class V201Dispatcher(
    IServiceProvider services, IServiceProviderIsKeyedService registered, IServiceScopeFactory scopes, UnscopedActions<IV201Handler> unscoped, IStationDirectory stations)
    : VersionDispatcher<IV201Handler, IV201PayloadHandler>(Words, services, registered, scopes, unscoped, stations)
{
    private static readonly DispatchVocabulary Words = new(
        action => V201Catalog.TryGet(action, out var descriptor) ? descriptor : null,
        V201ErrorCodes.NotImplemented,
        V201ErrorCodes.NotSupported,
        V201ErrorCodes.SecurityError,
        V201ErrorCodes.FormatViolation,
        V201ErrorCodes.PropertyConstraintViolation,
        V201ErrorCodes.OccurrenceConstraintViolation,
        V201ErrorCodes.GenericError,
        SentByCsms: "is sent by the CSMS, not by a charging station.",
        NotAccepted: "The charging station is not accepted; send BootNotification first.")
    {
        // A 1.6 action (StartTransaction, …) on a 2.0.1 connection is as unknown as a made-up one, but saying so helps.
        UnknownAction = action => V16Catalog.TryGet(action, out _)
            ? $"{action} is an OCPP 1.6 action; this connection speaks OCPP 2.0.1."
            : $"Unknown action '{action}'.",

        // B02: a Pending station may be asked for its device model (GetBaseReport) and answers with NotifyReport.
        AllowedBeforeAccepted = (action, status) => action == "NotifyReport" && status == Stations.RegistrationStatus.Pending,
    };
}
