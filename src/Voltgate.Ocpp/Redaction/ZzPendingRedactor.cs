// Temporary stand-in until the ocpp-types branch merges; deleted at merge.
namespace Voltgate.Ocpp.Redaction;

public static class OcppFrameRedactor
{
    public static string Redact(ReadOnlySpan<byte> utf8Frame) => $"<frame, {utf8Frame.Length} bytes>";
}
