namespace Voltgate.Core.Plausibility;

/// <summary>
/// The checks on values a protocol's schema allows but no station means. Protocol handlers call them with the
/// field's name as their version spells it, so the description the station reads names its own field.
/// </summary>
public sealed class PlausibilityRules(InputLimits limits, TimeProvider time)
{
    public InputLimits Limits => limits;

    /// <summary>Refuses a connector id outside 0 (or 1 when the station itself is not meant) to the configured maximum.</summary>
    public void Connector(int connectorId, string field, bool stationItselfAllowed = true)
    {
        var lowest = stationItselfAllowed ? 0 : 1;
        if (connectorId < lowest || connectorId > limits.MaxConnectorId)
        {
            throw new InputRefusedException(InputProblem.OutOfRange,
                $"{field} {connectorId} is outside {lowest}..{limits.MaxConnectorId} (Voltgate:Limits:MaxConnectorId).");
        }
    }

    /// <summary>Whether a reported time lies within the configured window around the server's clock.</summary>
    public bool TimestampPlausible(DateTimeOffset at)
    {
        var now = time.GetUtcNow();
        return at <= now + limits.MaxTimestampAhead && at >= now - limits.MaxTimestampBehind;
    }

    /// <summary>Refuses a reported time outside the window.</summary>
    public void Timestamp(DateTimeOffset at, string field)
    {
        if (!TimestampPlausible(at))
        {
            throw new InputRefusedException(InputProblem.OutOfRange,
                $"{field} {at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is more than {Describe(limits.MaxTimestampAhead)} ahead of or {Describe(limits.MaxTimestampBehind)} behind the server's clock (Voltgate:Limits:MaxTimestampAhead/Behind).");
        }
    }

    /// <summary>Refuses more sampled values in one message than the limit.</summary>
    public void SamplesPerMessage(int count, string message)
    {
        if (count > limits.MaxSamplesPerMessage)
        {
            throw new InputRefusedException(InputProblem.TooMany,
                $"{message} holds {count} sampled values; at most {limits.MaxSamplesPerMessage} per message (Voltgate:Limits:MaxSamplesPerMessage).");
        }
    }

    private static string Describe(TimeSpan span) => span.TotalDays >= 1 ? $"{span.TotalDays:0.##} d" : $"{span.TotalHours:0.##} h";
}
