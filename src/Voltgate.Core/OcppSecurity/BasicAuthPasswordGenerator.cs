using System.Security.Cryptography;

namespace Voltgate.Core.OcppSecurity;

/// <summary>Generates BasicAuth pool passwords (product design §4, "Generate").</summary>
public static class BasicAuthPasswordGenerator
{
    /// <summary>The lengths the UI offers: 32–40 hex characters, i.e. 16–20 random bytes.</summary>
    public static readonly IReadOnlyList<int> AllowedHexLengths = [32, 34, 36, 38, 40];

    /// <summary>The default length (20 random bytes, the OCPP 1.6 AuthorizationKey size).</summary>
    public const int DefaultHexLength = 40;

    /// <summary>
    /// A cryptographically random hex password of <paramref name="length"/> characters, <b>lower-case</b>.
    /// Lower case because KEBA accepts either, the fingerprint used for duplicate detection normalises to lower
    /// case anyway, and lower case is easier to read back and type into a station's web interface (no
    /// <c>B</c>/<c>8</c> or <c>D</c>/<c>0</c> confusion).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not in <see cref="AllowedHexLengths"/>.</exception>
    public static string GenerateHex(int length)
    {
        if (!AllowedHexLengths.Contains(length))
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"A generated password has one of these lengths: {string.Join(", ", AllowedHexLengths)}.");
        }

        return RandomNumberGenerator.GetHexString(length, lowercase: true);
    }
}
