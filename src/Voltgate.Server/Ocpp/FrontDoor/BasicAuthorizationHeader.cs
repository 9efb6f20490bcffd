using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>What is wrong with an <c>Authorization</c> header, if anything.</summary>
internal enum BasicHeaderProblem
{
    /// <summary>The header parsed; the caller still has to check the username and the password.</summary>
    None,

    /// <summary>No header, or an empty one.</summary>
    Missing,

    /// <summary>Another scheme, bad base64, no colon, or a username that is not valid UTF-8.</summary>
    Malformed,
}

/// <summary>
/// Parses an HTTP Basic <c>Authorization</c> header (RFC 7617) the way OCPP stations send it.
/// </summary>
/// <remarks>
/// <para>
/// The scheme is matched case-insensitively, spaces and tabs around the scheme and the token are tolerated, and a
/// token whose base64 padding was left off is accepted. The token is decoded to <b>bytes</b> and split at the
/// first <c>':'</c> byte: RFC 7617 forbids colons in the user-id, while the password may contain any byte (the
/// OCPP 1.6 security whitepaper recommends random binary keys), so the password is handed back as raw bytes and
/// never decoded as text. The username must be valid UTF-8.
/// </para>
/// <para>
/// An empty password parses as <see cref="BasicHeaderProblem.None"/> with an empty array; the password check
/// refuses it as a mismatch, so the operator sees <c>PasswordMismatch</c> rather than <c>MalformedHeader</c>.
/// </para>
/// </remarks>
internal static class BasicAuthorizationHeader
{
    /// <summary>
    /// Longest header value looked at. A station's header is well under 200 characters (identity ≤ 48, password ≤ 64);
    /// anything far longer is refused before base64 decoding.
    /// </summary>
    public const int MaxHeaderLength = 4096;

    private const byte Colon = (byte)':';

    /// <summary>Parses <paramref name="headerValue"/>.</summary>
    /// <param name="headerValue">The raw header value, e.g. <c>Basic QUwxMDAwOnNlY3JldA==</c>.</param>
    /// <param name="username">The decoded username; empty unless the result is <see cref="BasicHeaderProblem.None"/>.</param>
    /// <param name="password">The raw password bytes; empty unless the result is <see cref="BasicHeaderProblem.None"/>.</param>
    public static BasicHeaderProblem TryParse(string? headerValue, out string username, out byte[] password)
    {
        username = string.Empty;
        password = [];

        var value = headerValue.AsSpan().Trim(" \t");
        if (value.IsEmpty)
        {
            return BasicHeaderProblem.Missing;
        }

        if (value.Length > MaxHeaderLength)
        {
            return BasicHeaderProblem.Malformed;
        }

        var gap = value.IndexOfAny(' ', '\t');
        if (gap < 0 || !value[..gap].Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return BasicHeaderProblem.Malformed;
        }

        var token = value[gap..].Trim(" \t");
        if (token.IsEmpty || token.ContainsAny(' ', '\t'))
        {
            return BasicHeaderProblem.Malformed;
        }

        var decoded = DecodeBase64(token);
        if (decoded is null)
        {
            return BasicHeaderProblem.Malformed;
        }

        try
        {
            var colon = Array.IndexOf(decoded, Colon);
            if (colon < 0)
            {
                return BasicHeaderProblem.Malformed;
            }

            var userBytes = decoded.AsSpan(0, colon);
            if (!Utf8.IsValid(userBytes))
            {
                return BasicHeaderProblem.Malformed;
            }

            username = Encoding.UTF8.GetString(userBytes);
            password = decoded.AsSpan(colon + 1).ToArray();
            return BasicHeaderProblem.None;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(decoded);
        }
    }

    private static byte[]? DecodeBase64(ReadOnlySpan<char> token)
    {
        // Tolerate missing padding ("abc" for "abc="); a remainder of 1 can never be valid base64.
        var padding = (token.Length % 4) switch
        {
            0 => 0,
            2 => 2,
            3 => 1,
            _ => -1,
        };
        if (padding < 0)
        {
            return null;
        }

        var chars = new char[token.Length + padding];
        try
        {
            token.CopyTo(chars);
            chars.AsSpan(token.Length).Fill('=');
            var bytes = new byte[chars.Length / 4 * 3];
            if (!Convert.TryFromBase64Chars(chars, bytes, out var written))
            {
                return null;
            }

            if (written == bytes.Length)
            {
                return bytes;
            }

            var exact = bytes.AsSpan(0, written).ToArray();
            CryptographicOperations.ZeroMemory(bytes);
            return exact;
        }
        finally
        {
            Array.Clear(chars);
        }
    }
}
