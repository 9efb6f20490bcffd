using System.Text;
using Voltgate.Core.OcppSecurity;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// Which forms of a pool secret a station's Basic Auth password may take, by the protocol it negotiated. 1.6: the
/// tenant's hex matching rule (an <c>AuthorizationKey</c> may travel as hex text or decoded bytes). 2.0.1: the
/// <c>BasicAuthPassword</c> variable is a string the station sends as UTF-8 text, 16 to 40 characters (64 after the
/// 2025 errata raised the variable's maxLimit; accepted up to 64), so decoded-hex forms never match.
/// </summary>
internal static class StationPasswordForm
{
    public const int V201MinLength = 16;
    public const int V201MaxLength = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static PasswordMatch Match(PasswordPoolIndex pool, byte[] password, string? protocol, HexMatching mode, IReadOnlyCollection<Guid>? pinned)
    {
        if (protocol != OcppProtocols.Ocpp201)
        {
            return pool.Match(password, mode, pinned);
        }

        // Outside the variable's bounds (or not text at all) no 2.0.1 station can have sent it: not looked up.
        return IsV201Password(password) ? pool.MatchText(password, pinned) : new PasswordMatch(PasswordMatchResult.Mismatch, null);
    }

    private static bool IsV201Password(byte[] password)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(password);
        }
        catch (ArgumentException)
        {
            return false;
        }

        // Characters as OCPP counts them (passwordString is a string; a surrogate pair is one character).
        var length = text.EnumerateRunes().Count();
        return length is >= V201MinLength and <= V201MaxLength;
    }
}
