using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>The outcome of the checks before an upgrade: admit (with what), or refuse (with status and reason).</summary>
public sealed record HandshakeDecision(
    int StatusCode,
    RefusalReason Reason,
    TenantInfo? Tenant = null,
    string? Identity = null,
    StationAuthInfo? Station = null,
    string? Protocol = null,
    bool EchoProtocol = false,
    Guid? PasswordId = null,
    TimeSpan? RetryAfter = null,
    string? PresentedUsername = null)
{
    public bool Admitted => Reason == RefusalReason.None;
}

/// <summary>
/// The ordered checks of the station front door (product.md §3), run before the socket is accepted:
/// endpoint and network → URL and identity → tenant → subprotocol → back-off → station and variant → Basic Auth.
/// A refusal on an auth variant is always a bare 401: the station never learns which part was wrong; the
/// operator does, from the recorded connection attempt.
/// </summary>
public sealed class OcppHandshake(
    TenantDirectory tenants,
    IStationDirectory stations,
    PasswordPoolCache pools,
    AuthFailureThrottle throttle,
    UnknownStationAdmission unknownStations)
{
    public static bool TryParsePath(string rawTarget, out string tenantSlug, out string identity)
    {
        tenantSlug = Tenant.DefaultSlug;
        identity = "";
        var path = rawTarget.Split('?', 2)[0];
        if (!path.StartsWith("/ocpp/", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path["/ocpp/".Length..];
        if (rest.EndsWith('/'))
        {
            rest = rest[..^1];
        }

        var segments = rest.Split('/');
        string encoded;
        switch (segments.Length)
        {
            case 1:
                encoded = segments[0];
                break;
            case 2:
                tenantSlug = segments[0];
                encoded = segments[1];
                break;
            default:
                return false;
        }

        try
        {
            // Decode exactly once: "%2F" in an identity must not become a path separator earlier, nor be decoded twice.
            identity = Uri.UnescapeDataString(encoded);
        }
        catch (UriFormatException)
        {
            return false;
        }

        return true;
    }

    public async Task<HandshakeDecision> DecideAsync(HttpContext http, OcppEndpoint endpoint, CancellationToken ct)
    {
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        if (!TryParsePath(rawTarget, out var slug, out var identity))
        {
            return new HandshakeDecision(StatusCodes.Status404NotFound, RefusalReason.UnknownStation);
        }

        if (StationService.IdentityProblem(identity) is not null)
        {
            return new HandshakeDecision(StatusCodes.Status400BadRequest, RefusalReason.UnknownStation, Identity: identity);
        }

        var tenant = await tenants.FindAsync(slug, ct);
        if (tenant is null)
        {
            return new HandshakeDecision(StatusCodes.Status404NotFound, RefusalReason.UnknownStation, Identity: identity);
        }

        var decision = await DecideForTenantAsync(http, endpoint, tenant, identity, ct);
        return decision with { Tenant = tenant, Identity = identity };
    }

    private async Task<HandshakeDecision> DecideForTenantAsync(HttpContext http, OcppEndpoint endpoint, TenantInfo tenant, string identity, CancellationToken ct)
    {
        var source = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var offered = http.WebSockets.WebSocketRequestedProtocols;
        string? protocol;
        if (offered.Count == 0)
        {
            if (!tenant.Settings.AssumeOcpp16WhenNoSubprotocol)
            {
                return new HandshakeDecision(StatusCodes.Status400BadRequest, RefusalReason.UnsupportedSubprotocol);
            }

            protocol = OcppProtocols.Ocpp16;
        }
        else
        {
            protocol = OcppProtocols.Select(offered);
            if (protocol is null)
            {
                return new HandshakeDecision(StatusCodes.Status400BadRequest, RefusalReason.UnsupportedSubprotocol);
            }
        }

        var refusedStatus = endpoint.RequiresBasicAuth ? StatusCodes.Status401Unauthorized : StatusCodes.Status404NotFound;
        var blocked = throttle.Check(source, tenant.Slug, identity);
        if (blocked.Blocked)
        {
            return new HandshakeDecision(blocked.IsLongBlock ? StatusCodes.Status429TooManyRequests : refusedStatus, RefusalReason.RateLimited, RetryAfter: blocked.RetryAfter);
        }

        var decision = await CheckStationAndCredentialsAsync(http, endpoint, tenant, identity, ct);
        if (!decision.Admitted)
        {
            throttle.RecordFailure(source, tenant.Slug, identity);
            return decision;
        }

        throttle.RecordSuccess(source, tenant.Slug, identity);
        return decision with { Protocol = protocol, EchoProtocol = offered.Count > 0 };
    }

    private async Task<HandshakeDecision> CheckStationAndCredentialsAsync(HttpContext http, OcppEndpoint endpoint, TenantInfo tenant, string identity, CancellationToken ct)
    {
        var station = await stations.FindAsync(tenant.Id, identity, ct);
        if (!endpoint.RequiresBasicAuth)
        {
            return station switch
            {
                null when tenant.Settings.UnknownStationPolicy == UnknownStationPolicy.Reject => Refuse(StatusCodes.Status404NotFound, RefusalReason.UnknownStation),
                null => new HandshakeDecision(0, RefusalReason.None, Station: await unknownStations.AdmitAsync(tenant, identity, endpoint.Variant, ct)),
                { Active: false } => Refuse(StatusCodes.Status404NotFound, RefusalReason.StationDeactivated),
                _ when !station.AllowedVariants.Contains(endpoint.Variant) => Refuse(StatusCodes.Status403Forbidden, RefusalReason.VariantNotAllowed),
                _ => new HandshakeDecision(0, RefusalReason.None, Station: station),
            };
        }

        const int Unauthorized = StatusCodes.Status401Unauthorized;
        var headerProblem = BasicAuthorizationHeader.TryParse(http.Request.Headers.Authorization.ToString(), out var username, out var password);
        if (headerProblem == BasicHeaderProblem.Missing)
        {
            return Refuse(Unauthorized, RefusalReason.NoCredentials);
        }

        if (headerProblem == BasicHeaderProblem.Malformed)
        {
            return Refuse(Unauthorized, RefusalReason.MalformedHeader);
        }

        if (!string.Equals(username, identity, StringComparison.Ordinal))
        {
            // The username is not a secret; keep it (bounded) so the operator can see what the station sends.
            return Refuse(Unauthorized, RefusalReason.UsernameMismatch) with
            {
                PresentedUsername = username.Length > Station.MaxIdentityLength ? username[..Station.MaxIdentityLength] : username,
            };
        }

        if (station is null && tenant.Settings.UnknownStationPolicy == UnknownStationPolicy.Reject)
        {
            return Refuse(Unauthorized, RefusalReason.UnknownStation);
        }

        if (station is { Active: false })
        {
            return Refuse(Unauthorized, RefusalReason.StationDeactivated);
        }

        if (station is not null && !station.AllowedVariants.Contains(endpoint.Variant))
        {
            return Refuse(Unauthorized, RefusalReason.VariantNotAllowed);
        }

        var pool = await pools.GetAsync(tenant.Id);
        var match = pool.Match(password, tenant.Settings.HexMatching, station?.PinnedPasswordIds);
        var reason = match.Result switch
        {
            PasswordMatchResult.Matched => RefusalReason.None,
            PasswordMatchResult.MatchesOnlyOtherHexForm => RefusalReason.PasswordMatchesOnlyOtherHexForm,
            PasswordMatchResult.Disabled => RefusalReason.PasswordDisabled,
            _ => RefusalReason.PasswordMismatch,
        };
        if (reason != RefusalReason.None)
        {
            // For "other hex form" and "disabled" the index names the entry, so diagnostics can say which one to fix.
            return Refuse(Unauthorized, reason) with { PasswordId = match.EntryId };
        }

        station ??= await unknownStations.AdmitAsync(tenant, identity, endpoint.Variant, ct);
        return new HandshakeDecision(0, RefusalReason.None, Station: station, PasswordId: match.EntryId);
    }

    private static HandshakeDecision Refuse(int status, RefusalReason reason) => new(status, reason);
}
