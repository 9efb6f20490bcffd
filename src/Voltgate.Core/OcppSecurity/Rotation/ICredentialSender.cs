namespace Voltgate.Core.OcppSecurity.Rotation;

public enum PushResult
{
    Accepted,
    Rejected,
    NotSupported,

    /// <summary>CALLERROR, timeout, or a reply the protocol does not define.</summary>
    Failed,

    /// <summary>No node holds the station's socket: it stays Waiting and is pushed when it next connects.</summary>
    Offline,
}

/// <summary>How a push ended; <paramref name="Detail"/> is for the operator and never holds the secret.</summary>
public sealed record PushOutcome(PushResult Result, string Detail);

/// <summary>
/// Pushes a new BasicAuth password to a station in its protocol's way (1.6: ChangeConfiguration AuthorizationKey;
/// 2.0.1: SetVariables SecurityCtrlr.BasicAuthPassword). One implementation per protocol; the engine picks the one
/// whose <see cref="Protocol"/> matches the station's last connection.
/// </summary>
public interface ICredentialSender
{
    /// <summary>The subprotocol name, e.g. <c>ocpp1.6</c>.</summary>
    string Protocol { get; }

    /// <summary>Why this protocol cannot carry <paramref name="secret"/>, or null when it can (checked before anything is sent).</summary>
    string? Problem(string secret);

    Task<PushOutcome> PushAsync(Guid tenantId, string identity, string secret, CancellationToken ct);
}

/// <summary>
/// Moves a station to a higher security profile in its protocol's way (1.6: ChangeConfiguration SecurityProfile;
/// 2.0.1: SetNetworkProfile, SetVariables NetworkConfigurationPriority, then Reset). One implementation per protocol.
/// </summary>
public interface ISecurityProfileSender
{
    /// <summary>The subprotocol name, e.g. <c>ocpp1.6</c>.</summary>
    string Protocol { get; }

    /// <summary>Why this protocol cannot make the move (e.g. 2.0.1 without a CSMS URL), or null when it can.</summary>
    string? Problem(string targetVariant, string? csmsUrl);

    Task<PushOutcome> PushAsync(Guid tenantId, string identity, string targetVariant, string? csmsUrl, CancellationToken ct);
}

/// <summary>The security profile number of a connection variant (OCPP 1.6 security whitepaper / 2.0.1 A00).</summary>
public static class SecurityProfiles
{
    /// <summary>Profile 1 is Basic Auth without TLS, 2 Basic Auth over TLS; the other variants are not a rotation target.</summary>
    public static int? Of(string variant) => variant switch
    {
        Stations.ConnectionVariants.PrivateAuth => 1,
        Stations.ConnectionVariants.Public => 2,
        _ => null,
    };
}
