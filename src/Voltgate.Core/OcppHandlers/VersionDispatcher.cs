using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Ocpp;

namespace Voltgate.Core.OcppHandlers;

/// <summary>What a protocol version's dispatcher says in its own words: its routing table, error codes and texts.</summary>
internal sealed record DispatchVocabulary(
    Func<string, IOcppAction?> FindAction,
    string NotImplemented,
    string NotSupported,
    string SecurityError,
    string FormatViolation,
    string PropertyConstraintViolation,
    string OccurrenceConstraintViolation,
    string GenericError,
    string SentByCsms,
    string NotAccepted)
{
    /// <summary>Why an action the version does not know is refused ("Unknown action 'X'." unless the version knows better).</summary>
    public Func<string, string> UnknownAction { get; init; } = action => $"Unknown action '{action}'.";

    /// <summary>Which actions a station that is not Accepted (yet) may send; BootNotification always.</summary>
    public Func<string, RegistrationStatus, bool> AllowedBeforeAccepted { get; init; } = (_, _) => false;
}

/// <summary>
/// The routing table of one protocol version in action: known action? → right direction? → station accepted? →
/// schema-valid? → handler → answer. Each refusal is the error code the version names for it.
/// </summary>
/// <remarks>
/// A singleton. Handlers whose services are scoped (a DbContext behind them) get a DI scope of their own, with the
/// station's tenant and the audit actor set; the frequent messages' handlers are singletons
/// (<see cref="UnscopedActions{THandler}"/>) and get none, and a payload reader skips the request object graph too.
/// </remarks>
internal abstract class VersionDispatcher<THandler, TPayloadHandler>(
    DispatchVocabulary words, IServiceProvider services, IServiceProviderIsKeyedService registered, IServiceScopeFactory scopes,
    UnscopedActions<THandler> unscoped, IStationDirectory stations) : IOcppDispatcher
    where THandler : class, IOcppActionHandler
    where TPayloadHandler : class, IOcppPayloadHandler
{
    // ValueTask: a message answered without waiting (Heartbeat) allocates no Task on its way out.
    public async ValueTask<DispatchResult> DispatchAsync(OcppStationContext station, string action, JsonElement payload, CancellationToken ct)
    {
        if (words.FindAction(action) is not { } descriptor)
        {
            return DispatchResult.Fail(words.NotImplemented, words.UnknownAction(Truncate(action)));
        }

        if (descriptor.Direction == OcppDirection.CsmsToStation)
        {
            return DispatchResult.Fail(words.NotSupported, $"{action} {words.SentByCsms}");
        }

        var scoped = !unscoped.Contains(action);
        if (scoped && !registered.IsKeyedService(typeof(THandler), action))
        {
            return DispatchResult.Fail(words.NotImplemented, $"{action} is not supported by this server.");
        }

        // OCPP 1.6 §4.2 / errata §3.8 and 2.0.1 B02/B03: until the station is Accepted it may only boot (and what the version allows).
        if (action != "BootNotification")
        {
            var info = await stations.FindAsync(station.TenantId, station.Identity, ct);
            if (info is null || (info.RegistrationStatus != RegistrationStatus.Accepted && !words.AllowedBeforeAccepted(action, info.RegistrationStatus)))
            {
                return DispatchResult.Fail(words.SecurityError, words.NotAccepted);
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
            request = JsonSerializer.Deserialize(payload, descriptor.RequestTypeInfo) ?? throw new JsonException("null payload");
        }
        catch (JsonException)
        {
            return Unreadable(action);
        }

        object response;
        try
        {
            response = scoped
                ? await HandleScopedAsync(station, action, request, ct)
                : await services.GetRequiredKeyedService<THandler>(action).HandleAsync(station, request, ct);
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
            return DispatchResult.Ok(await services.GetRequiredKeyedService<TPayloadHandler>(action).HandleAsync(station, payload, ct));
        }
        catch (FormatException)
        {
            return Unreadable(action);
        }
        catch (InputRefusedException refused)
        {
            return Refused(refused);
        }
    }

    private async Task<object> HandleScopedAsync(OcppStationContext station, string action, object request, CancellationToken ct)
    {
        await using var scope = scopes.CreateTenantScope(station.TenantId, station.Actor);
        return await scope.ServiceProvider.GetRequiredKeyedService<THandler>(action).HandleAsync(station, request, ct);
    }

    private DispatchResult Unreadable(string action) => DispatchResult.Fail(words.FormatViolation, $"The {action} payload could not be read.");

    // The domain's plausibility refusal under the version's own error names (docs/reliability.md, "Bounded growth and plausibility").
    private DispatchResult Refused(InputRefusedException refused) => DispatchResult.Fail(refused.Problem switch
    {
        InputProblem.OutOfRange => words.PropertyConstraintViolation,
        InputProblem.TooMany => words.OccurrenceConstraintViolation,
        _ => words.GenericError,
    }, refused.Message);

    private static string Truncate(string action) => action.Length <= 50 ? action : action[..50];
}
