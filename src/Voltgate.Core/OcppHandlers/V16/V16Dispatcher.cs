using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Stations;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;

namespace Voltgate.Core.OcppHandlers.V16;

/// <summary>A handler of one station-to-server OCPP 1.6 action, registered keyed by the action name.</summary>
internal interface IV16Handler : IOcppActionHandler;

/// <summary>A 1.6 handler that reads its payload straight from the JSON (see <see cref="IOcppPayloadHandler"/>).</summary>
internal interface IV16PayloadHandler : IOcppPayloadHandler;

internal abstract class V16Handler<TRequest, TResponse> : OcppActionHandler<TRequest, TResponse>, IV16Handler
    where TRequest : class
    where TResponse : class;

/// <summary>The OCPP 1.6 routing table in action; each refusal is the error code OCPP-J 1.6 names for it.</summary>
internal sealed class V16Dispatcher(
    IServiceProvider services, IServiceProviderIsKeyedService registered, IServiceScopeFactory scopes, UnscopedActions<IV16Handler> unscoped, IStationDirectory stations)
    : VersionDispatcher<IV16Handler, IV16PayloadHandler>(Words, services, registered, scopes, unscoped, stations)
{
    private static readonly DispatchVocabulary Words = new(
        action => V16Catalog.TryGet(action, out var descriptor) ? descriptor : null,
        OcppErrorCodes.NotImplemented,
        OcppErrorCodes.NotSupported,
        OcppErrorCodes.SecurityError,
        OcppErrorCodes.FormationViolation,
        OcppErrorCodes.PropertyConstraintViolation,
        OcppErrorCodes.OccurenceConstraintViolation,
        OcppErrorCodes.GenericError,
        SentByCsms: "is sent by the central system, not by a charge point.",
        NotAccepted: "The charge point is not accepted; send BootNotification first.");
}
