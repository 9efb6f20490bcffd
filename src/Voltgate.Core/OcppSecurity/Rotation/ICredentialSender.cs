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
