namespace Voltgate.Ocpp.Redaction;

/// <summary>
/// A cheap test that tells, without parsing, that <see cref="OcppFrameRedactor"/> would pass a frame through unchanged:
/// no backslash escape and neither secret's name in any case. Lets the message log and the message history skip the
/// parse-and-rewrite for all but the rare frame that may hold a secret.
/// </summary>
public static class RedactionPrefilter
{
    /// <summary>False only when the redactor certainly has nothing to blank (it would also pass the frame through unchanged).</summary>
    public static bool MayHoldSecret(ReadOnlySpan<byte> frame)
    {
        if (frame.IndexOf((byte)'\\') >= 0)
        {
            return true; // a \u escape can spell a secret's name
        }

        return ContainsIgnoreCase(frame, "authorizationkey"u8) || ContainsIgnoreCase(frame, "basicauthpassword"u8);
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> lowerNeedle)
    {
        var first = lowerNeedle[0];
        var firstUpper = (byte)(first - 32);
        for (var i = haystack.IndexOfAny(first, firstUpper); i >= 0 && i <= haystack.Length - lowerNeedle.Length;)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(haystack.Slice(i, lowerNeedle.Length), lowerNeedle))
            {
                return true;
            }

            var next = haystack[(i + 1)..].IndexOfAny(first, firstUpper);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }
}
