using System.Text.RegularExpressions;

namespace Voltgate.Core.OcppSecurity;

/// <summary>
/// A station model's constraints on the BasicAuth password (product design §4, "hardware compatibility profiles").
/// </summary>
/// <param name="Id">Stable id, e.g. <c>keba-x-series</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="VendorPattern">Regular expression on the BootNotification vendor (case-insensitive, unanchored
/// unless the pattern anchors itself).</param>
/// <param name="ModelPattern">Regular expression on the BootNotification model (same rules).</param>
/// <param name="MinimumFirmware">Dotted version from which the profile applies, e.g. <c>1.15</c>; empty for all.</param>
/// <remarks>
/// The secret rule is data, so the UI can describe it: <see cref="MinSecretLength"/>..<see cref="MaxSecretLength"/>
/// characters, optionally hex characters only (<see cref="RequiresHex"/>) and an even length
/// (<see cref="RequiresEvenLength"/>). Without them a profile accepts every 16–40-character secret.
/// </remarks>
public sealed record HardwareProfile(string Id, string Name, string VendorPattern, string ModelPattern, string MinimumFirmware)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Shortest secret the hardware takes.</summary>
    public int MinSecretLength { get; init; } = BasicAuthPasswordRules.MinLength;

    /// <summary>Longest secret the hardware takes.</summary>
    public int MaxSecretLength { get; init; } = BasicAuthPasswordRules.MaxLength;

    /// <summary>Whether only <c>0–9 a–f A–F</c> are accepted.</summary>
    public bool RequiresHex { get; init; }

    /// <summary>Whether the length must be even.</summary>
    public bool RequiresEvenLength { get; init; }

    /// <summary>Whether <paramref name="secret"/> satisfies the profile's rule.</summary>
    public bool Fits(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret.Length >= MinSecretLength
            && secret.Length <= MaxSecretLength
            && (!RequiresEvenLength || secret.Length % 2 == 0)
            && (!RequiresHex || !secret.AsSpan().ContainsAnyExcept(BasicAuthPasswordRules.HexDigits));
    }

    /// <summary>
    /// Whether the profile applies to a station that reported this vendor, model and firmware. Vendor and model must
    /// both match their patterns (case-insensitive); an unknown vendor or model does not apply. The firmware is
    /// compared as a dotted version (the first <c>n.n[.n…]</c> in the string) against <see cref="MinimumFirmware"/>;
    /// a missing or unparsable firmware version applies, to be safe (a warning too many beats a locked-out station).
    /// </summary>
    public bool AppliesTo(string? vendor, string? model, string? firmware)
    {
        if (vendor is null || model is null || !IsMatch(vendor, VendorPattern) || !IsMatch(model, ModelPattern))
        {
            return false;
        }

        var minimum = DottedVersion.TryParse(MinimumFirmware);
        var actual = DottedVersion.TryParse(firmware);
        return minimum is null || actual is null || DottedVersion.Compare(actual, minimum) >= 0;
    }

    private static bool IsMatch(string input, string pattern)
    {
        try
        {
            return Regex.IsMatch(input, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            // Station-reported text that makes our own pattern time out is not a model we recognise.
            return false;
        }
    }
}

/// <summary>The built-in hardware compatibility profiles.</summary>
public static class HardwareProfiles
{
    /// <summary>
    /// KEBA KeContact P30 x-series with firmware 1.15 or later: the password must be 32–40 hex characters of even
    /// length (has-to-be support article 10083340772242).
    /// </summary>
    /// <remarks>
    /// Vendor: contains the word <c>KEBA</c> (the stations report e.g. <c>Keba AG</c>). Model: a KC-P30 type code
    /// with an <c>X</c> in its variant part (<c>KC-P30-…X…</c>), or a spelled-out name such as
    /// <c>KeContact P30 x</c>, <c>P30 x-series</c> or <c>KC-P30 x-series</c>. The type-code form is an inference
    /// from KEBA's naming, not confirmed against a BootNotification trace; a miss only costs a warning.
    /// </remarks>
    public static HardwareProfile KebaXSeries { get; } = new(
        Id: "keba-x-series",
        Name: "KEBA x-series (firmware 1.15+)",
        VendorPattern: @"\bKEBA\b",
        ModelPattern: @"^\s*(?:KC-P30-[A-Z0-9]*X[A-Z0-9-]*|(?:KeContact\s+)?(?:KC-)?P30\s+x(?:-series)?)\s*$",
        MinimumFirmware: "1.15")
    {
        MinSecretLength = 32,
        MaxSecretLength = 40,
        RequiresHex = true,
        RequiresEvenLength = true,
    };

    /// <summary>Every built-in profile.</summary>
    public static IReadOnlyList<HardwareProfile> All { get; } = [KebaXSeries];
}

/// <summary>A dotted numeric version such as <c>1.15.2</c>, compared component by component (missing = 0).</summary>
internal static partial class DottedVersion
{
    public static int[]? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = VersionPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var parts = match.Value.Split('.');
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }

    public static int Compare(int[] left, int[] right)
    {
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var difference = (i < left.Length ? left[i] : 0).CompareTo(i < right.Length ? right[i] : 0);
            if (difference != 0)
            {
                return difference;
            }
        }

        return 0;
    }

    // The first run of digits, optionally followed by ".digits" groups; at most 9 digits each so int never overflows.
    [GeneratedRegex(@"(?<![0-9.])[0-9]{1,9}(?:\.[0-9]{1,9})*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex VersionPattern();
}
