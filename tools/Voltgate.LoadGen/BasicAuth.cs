using System.Text;

namespace Voltgate.LoadGen;

public static class BasicAuth
{
    /// <summary>
    /// "Basic " + base64(identity ":" password). The password goes in as raw bytes: OCPP security profile 1
    /// allows binary AuthorizationKeys, which a string API would mangle.
    /// </summary>
    public static string HeaderValue(string identity, ReadOnlySpan<byte> password)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var userLength = Encoding.UTF8.GetByteCount(identity);
        var raw = new byte[userLength + 1 + password.Length];
        Encoding.UTF8.GetBytes(identity, raw);
        raw[userLength] = (byte)':';
        password.CopyTo(raw.AsSpan(userLength + 1));
        return "Basic " + Convert.ToBase64String(raw);
    }
}
