namespace Voltgate.Core.Stations;

/// <summary>
/// What the operator reads next to a connection attempt, as a code and its arguments; the host words it per
/// language. A null argument is a missing fact (no entry label, no allowed variant, no offered subprotocol).
/// </summary>
/// <param name="Code">The refusal reason's name (<c>None</c> for an accepted attempt).</param>
public sealed record AttemptExplanation(string Code, IReadOnlyList<string?> Arguments);

/// <summary>
/// Turns a recorded handshake into an explanation code with the facts it names. Pure: the caller supplies the
/// station's allowed variants and the label of the pool entry the attempt names (never a secret).
/// </summary>
public static class ConnectionDiagnostics
{
    public static AttemptExplanation Explain(ConnectionAttempt a, IReadOnlyList<string>? allowedVariants, string? entryLabel)
    {
        ArgumentNullException.ThrowIfNull(a);
        var allowed = allowedVariants is { Count: > 0 } ? string.Join(", ", allowedVariants) : null;
        IReadOnlyList<string?> arguments = a.Reason switch
        {
            RefusalReason.None => [a.Variant, a.Protocol],
            RefusalReason.UsernameMismatch => [a.PresentedUsername, a.Identity],
            RefusalReason.UnknownStation => [a.Identity],
            RefusalReason.VariantNotAllowed => [a.Variant, allowed],
            RefusalReason.PasswordMatchesOnlyOtherHexForm or RefusalReason.PasswordDisabled => [entryLabel],
            RefusalReason.NetworkNotAllowed => [a.SourceAddress, a.Endpoint],
            RefusalReason.UnsupportedSubprotocol => [a.OfferedSubprotocols.Length == 0 ? null : a.OfferedSubprotocols],
            _ => [],
        };
        return new AttemptExplanation(a.Reason.ToString(), arguments);
    }
}
