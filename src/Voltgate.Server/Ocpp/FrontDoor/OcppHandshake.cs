using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>The outcome of the checks before an upgrade: admit (with what), or refuse (with status and reason).</summary>
internal sealed record HandshakeDecision(
    int StatusCode,
    RefusalReason Reason,
    TenantInfo? Tenant = null,
    string? Identity = null,
    StationAuthInfo? Station = null,
    string? Protocol = null,
    string? EchoProtocol = null,
    Guid? PasswordId = null,
    TimeSpan? RetryAfter = null,
    string? PresentedUsername = null,
    string? Body = null,
    UnattributedReason? Unattributed = null,
    string? UnattributedDetail = null)
{
    /// <summary>Status 0: nothing refused. (A request that is no WebSocket upgrade at all is refused with no reason: it is not recorded.)</summary>
    public bool Admitted => StatusCode == 0;
}

/// <summary>
/// The ordered checks of the station front door, run before the socket is accepted (docs/security.md):
/// network → upgrade → URL and identity → tenant → subprotocol → back-off → station and variant → credential.
/// <see cref="DecideAsync"/> runs them in that order; each check returns null to go on, or the refusal. On an auth
/// variant the Basic Auth header and its username are read before the station's own checks, and every refusal
/// is a bare 401: the station never learns which part was wrong; the operator does, from the recorded connection
/// attempt. The connection cap comes last, in <see cref="OcppFrontDoor"/>, only for an admitted station.
/// </summary>
internal sealed class OcppHandshake(
    TenantDirectory tenants,
    IStationDirectory stations,
    PasswordPoolCache pools,
    AuthFailureThrottle throttle,
    UnknownStationAdmission unknownStations,
    Voltgate.Core.Telemetry.VoltgateMetrics metrics)
{
    private static readonly HandshakeDecision NotAnUpgrade = new(StatusCodes.Status400BadRequest, RefusalReason.None,
        Body: "This is an OCPP-J endpoint: connect with a WebSocket upgrade to /ocpp/{identity}.", Unattributed: UnattributedReason.NotAnUpgrade);

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
        var source = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if ((RefuseNetwork(endpoint, source) ?? RefuseUnlessUpgrade(http)) is { } notAHandshake)
        {
            return notAHandshake;
        }

        if (RefuseIdentity(http, out var slug, out var identity) is { } badIdentity)
        {
            return badIdentity;
        }

        var tenant = await tenants.FindAsync(slug, ct);
        if (tenant is null)
        {
            return new HandshakeDecision(StatusCodes.Status404NotFound, RefusalReason.UnknownStation, Identity: identity,
                Unattributed: UnattributedReason.UnknownTenant, UnattributedDetail: slug);
        }

        if (!tenant.Active)
        {
            // Known but deactivated: refused like a deactivated station (bare 401 on auth variants), recorded for the operator.
            var status = endpoint.RequiresBasicAuth ? StatusCodes.Status401Unauthorized : StatusCodes.Status404NotFound;
            return new HandshakeDecision(status, RefusalReason.TenantDeactivated, tenant, identity);
        }

        // The raw header lines, not WebSocketRequestedProtocols: the negotiation tolerates quirks of its own.
        var refused = RefuseSubprotocol(http.Request.Headers.SecWebSocketProtocol.ToArray(), tenant, out var protocol, out var echo) ?? RefuseBackedOff(endpoint, source, tenant, identity);
        if (refused is not null)
        {
            return refused with { Tenant = tenant, Identity = identity };
        }

        // From here on the back-off counts the outcome.
        var station = await stations.FindAsync(tenant.Id, identity, ct);
        var password = Array.Empty<byte>();
        refused = (endpoint.RequiresBasicAuth ? RefuseCredentialHeader(http, identity, out password) : null)
            ?? RefuseStation(endpoint, tenant, station);
        Guid? passwordId = null;
        if (refused is null && endpoint.RequiresBasicAuth)
        {
            refused = RefusePassword(await pools.GetAsync(tenant.Id), password, protocol, tenant, station, out passwordId);
        }

        if (refused is not null)
        {
            throttle.RecordFailure(source, tenant.Slug, identity);
            return refused with { Tenant = tenant, Identity = identity };
        }

        station ??= await unknownStations.AdmitAsync(tenant, identity, endpoint.Variant, ct);
        throttle.RecordSuccess(source, tenant.Slug, identity);
        return new HandshakeDecision(0, RefusalReason.None, tenant, identity, station, protocol, EchoProtocol: echo, PasswordId: passwordId);
    }

    /// <summary>Network: the listener's AllowedNetworks.</summary>
    private static HandshakeDecision? RefuseNetwork(OcppEndpoint endpoint, IPAddress source) =>
        endpoint.Admits(source) ? null : Refuse(StatusCodes.Status403Forbidden, RefusalReason.NetworkNotAllowed) with { Unattributed = UnattributedReason.NetworkNotAllowed };

    /// <summary>Upgrade: nothing but a WebSocket handshake is served on an OCPP port.</summary>
    private static HandshakeDecision? RefuseUnlessUpgrade(HttpContext http) =>
        http.WebSockets.IsWebSocketRequest ? null : NotAnUpgrade;

    /// <summary>URL and identity: /ocpp/[tenant/]identity, decoded once, and an identity a station may have.</summary>
    private static HandshakeDecision? RefuseIdentity(HttpContext http, out string slug, out string identity)
    {
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        if (!TryParsePath(rawTarget, out slug, out identity))
        {
            return Refuse(StatusCodes.Status404NotFound, RefusalReason.UnknownStation) with { Unattributed = UnattributedReason.BadPath, UnattributedDetail = rawTarget };
        }

        return StationService.IdentityProblem(identity) is null
            ? null
            : new HandshakeDecision(StatusCodes.Status400BadRequest, RefusalReason.UnknownStation, Identity: identity,
                Unattributed: UnattributedReason.BadPath, UnattributedDetail: rawTarget);
    }

    /// <summary>
    /// Subprotocol: the first offered one the server speaks (<see cref="OcppProtocols.Negotiate"/>), echoed in the
    /// station's spelling; none offered (no header, or only empty entries) means 1.6 where the tenant allows it.
    /// </summary>
    private static HandshakeDecision? RefuseSubprotocol(string?[] offered, TenantInfo tenant, out string? protocol, out string? echo)
    {
        echo = null;
        var lines = offered.Select(o => o ?? "").ToArray();
        if (OcppProtocols.IsEmptyOffer(lines))
        {
            protocol = tenant.Settings.AssumeOcpp16WhenNoSubprotocol ? OcppProtocols.Ocpp16 : null;
        }
        else
        {
            var choice = OcppProtocols.Negotiate(lines);
            protocol = choice?.Protocol;
            echo = choice?.Echo;
        }

        return protocol is null ? Refuse(StatusCodes.Status400BadRequest, RefusalReason.UnsupportedSubprotocol) : null;
    }

    /// <summary>Back-off: a source that keeps failing for this station waits; a short block looks like any other refusal.</summary>
    private HandshakeDecision? RefuseBackedOff(OcppEndpoint endpoint, IPAddress source, TenantInfo tenant, string identity)
    {
        var blocked = throttle.Check(source, tenant.Slug, identity);
        if (!blocked.Blocked)
        {
            return null;
        }

        metrics.BackoffBlock(blocked.IsLongBlock);

        var refusedStatus = endpoint.RequiresBasicAuth ? StatusCodes.Status401Unauthorized : StatusCodes.Status404NotFound;
        return new HandshakeDecision(blocked.IsLongBlock ? StatusCodes.Status429TooManyRequests : refusedStatus, RefusalReason.RateLimited, RetryAfter: blocked.RetryAfter);
    }

    /// <summary>Credential, first part: a well-formed Basic Auth header whose username is the station's identity.</summary>
    private static HandshakeDecision? RefuseCredentialHeader(HttpContext http, string identity, out byte[] password)
    {
        const int Unauthorized = StatusCodes.Status401Unauthorized;
        var headerProblem = BasicAuthorizationHeader.TryParse(http.Request.Headers.Authorization.ToString(), out var username, out password);
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

        return null;
    }

    /// <summary>
    /// Station and variant: known (or admissible by the tenant's UnknownStationPolicy), active, and allowed on this
    /// listener's variant. Without auth the status says which; with auth it is 401 like every other refusal.
    /// </summary>
    private static HandshakeDecision? RefuseStation(OcppEndpoint endpoint, TenantInfo tenant, StationAuthInfo? station)
    {
        var auth = endpoint.RequiresBasicAuth;
        return station switch
        {
            null when tenant.Settings.UnknownStationPolicy == UnknownStationPolicy.Reject =>
                Refuse(auth ? StatusCodes.Status401Unauthorized : StatusCodes.Status404NotFound, RefusalReason.UnknownStation),
            null => null,
            { Active: false } => Refuse(auth ? StatusCodes.Status401Unauthorized : StatusCodes.Status404NotFound, RefusalReason.StationDeactivated),
            _ when !station.AllowedVariants.Contains(endpoint.Variant) =>
                Refuse(auth ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, RefusalReason.VariantNotAllowed),
            _ => null,
        };
    }

    /// <summary>Credential, second part: the password matches an enabled entry of the tenant's pool (or of the station's pinned ones).</summary>
    private static HandshakeDecision? RefusePassword(PasswordPoolIndex pool, byte[] password, string? protocol, TenantInfo tenant, StationAuthInfo? station, out Guid? passwordId)
    {
        var match = StationPasswordForm.Match(pool, password, protocol, tenant.Settings.HexMatching, station?.PinnedPasswordIds);
        passwordId = match.EntryId;
        var reason = match.Result switch
        {
            PasswordMatchResult.Matched => RefusalReason.None,
            PasswordMatchResult.MatchesOnlyOtherHexForm => RefusalReason.PasswordMatchesOnlyOtherHexForm,
            PasswordMatchResult.Disabled => RefusalReason.PasswordDisabled,
            _ => RefusalReason.PasswordMismatch,
        };

        // For "other hex form" and "disabled" the index names the entry, so diagnostics can say which one to fix.
        var named = match.EntryId;
        if (reason == RefusalReason.PasswordMismatch && station is { PinnedPasswordIds.Count: > 0 })
        {
            // A pinned station's password may still be a pool entry, just not one of its pins — typically the password
            // a rotation moved it away from. The refusal stays a plain mismatch; the attempt names the entry so the
            // diagnostics can say "tried the pre-rotation password". Only pinned stations that fail pay this lookup.
            var unpinned = StationPasswordForm.Match(pool, password, protocol, tenant.Settings.HexMatching, null);
            named = unpinned.Result == PasswordMatchResult.Matched ? unpinned.EntryId : null;
        }

        return reason == RefusalReason.None ? null : Refuse(StatusCodes.Status401Unauthorized, reason) with { PasswordId = named };
    }

    private static HandshakeDecision Refuse(int status, RefusalReason reason) => new(status, reason);
}
