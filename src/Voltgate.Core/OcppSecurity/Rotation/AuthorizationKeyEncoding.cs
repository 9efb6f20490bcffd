using System.Text;

namespace Voltgate.Core.OcppSecurity.Rotation;

/// <summary>
/// OCPP 1.6 carries a new BasicAuth password as <c>AuthorizationKey</c>: the hex form of 16–20 password bytes
/// (32–40 hex characters). A conformant station decodes it and sends the bytes; a KEBA x-series sends the hex text
/// itself. So a secret that already is 32–40 hex characters is sent as it is (both forms then match the entry under
/// Lenient hex matching); any other secret is sent as hex(UTF-8), which only fits a secret of at most 20 bytes.
/// </summary>
public static class AuthorizationKeyEncoding
{
    public const int MinBytes = 16;
    public const int MaxBytes = 20;

    /// <summary>The AuthorizationKey value for <paramref name="secret"/>, or null when 1.6 cannot express it.</summary>
    public static string? Express(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length is >= MinBytes * 2 and <= MaxBytes * 2 && secret.Length % 2 == 0 && BasicAuthPasswordRules.IsHexShaped(secret))
        {
            return secret;
        }

        var bytes = Encoding.UTF8.GetBytes(secret);
        return bytes.Length is >= MinBytes and <= MaxBytes ? Convert.ToHexString(bytes) : null;
    }

    /// <summary>Why a secret cannot be sent to a 1.6 station, for the operator; null when it can.</summary>
    public static string? Problem(string secret) => Express(secret) is not null
        ? null
        : $"OCPP 1.6 cannot carry this password: AuthorizationKey holds 16–20 bytes as hex. A password of 32–40 hex characters is sent as it is; any other must be at most {MaxBytes} bytes (this one has {Encoding.UTF8.GetByteCount(secret)}). Choose a 32–40-character hex password, e.g. a generated one.";
}
