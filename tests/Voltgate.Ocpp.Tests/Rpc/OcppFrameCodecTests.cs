using System.Text;
using System.Text.Json;
using Voltgate.Ocpp.Rpc;

namespace Voltgate.Ocpp.Tests.Rpc;

public sealed class OcppFrameCodecTests
{
    private static OcppFrame Parse(string text) => OcppFrameCodec.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_call_is_read_with_id_action_and_payload()
    {
        var frame = Parse("[2,\"19223201\",\"BootNotification\",{\"chargePointVendor\":\"VendorX\"}]");

        Assert.Equal(FrameKind.Call, frame.Kind);
        Assert.Equal("19223201", frame.MessageId);
        Assert.Equal("BootNotification", frame.Action);
        Assert.Equal("VendorX", frame.Payload.GetProperty("chargePointVendor").GetString());
    }

    [Fact]
    public void The_payload_outlives_the_bytes_it_was_read_from()
    {
        // The receive loop hands its pooled buffer back right after parsing: the payload must not point into it.
        var bytes = Encoding.UTF8.GetBytes("[2,\"p1\",\"Heartbeat\",{\"note\":\"kept\"}]");
        var frame = OcppFrameCodec.Parse(bytes);

        Array.Fill(bytes, (byte)'x');

        Assert.Equal("kept", frame.Payload.GetProperty("note").GetString());
        Assert.Equal(("p1", "Heartbeat"), (frame.MessageId, frame.Action));
    }

    [Fact]
    public void Results_and_errors_are_read()
    {
        var result = Parse("[3,\"a\",{\"status\":\"Accepted\"}]");
        var error = Parse("[4,\"b\",\"NotSupported\",\"no\",{}]");

        Assert.Equal((FrameKind.CallResult, "a"), (result.Kind, result.MessageId));
        Assert.Equal("Accepted", result.Payload.GetProperty("status").GetString());
        Assert.Equal((FrameKind.CallError, "b", "NotSupported", "no"), (error.Kind, error.MessageId, error.ErrorCode, error.ErrorDescription));
    }

    [Theory]
    [InlineData("", FrameKind.Ignore, null, null)]
    [InlineData("   ", FrameKind.Ignore, null, null)]
    [InlineData("[2,\"a\",\"Heartbeat\",{", FrameKind.Invalid, null, "GenericError")]
    [InlineData("{\"not\":\"an array\"}", FrameKind.Invalid, null, "GenericError")]
    [InlineData("[2,\"a\",\"Heartbeat\",{}] [3,\"b\",{}]", FrameKind.Invalid, null, "GenericError")]
    [InlineData("[2,17,\"Heartbeat\",{}]", FrameKind.Invalid, null, "GenericError")]
    [InlineData("[2,\"0123456789012345678901234567890123456\",\"Heartbeat\",{}]", FrameKind.Invalid, null, "GenericError")]
    [InlineData("[\"2\",\"a\",\"Heartbeat\",{}]", FrameKind.Invalid, "a", "FormationViolation")]
    [InlineData("[2,\"a\",\"Heartbeat\"]", FrameKind.Invalid, "a", "FormationViolation")]
    [InlineData("[2,\"a\",\"Heartbeat\",{},\"extra\"]", FrameKind.Invalid, "a", "FormationViolation")]
    [InlineData("[2,\"a\",42,{}]", FrameKind.Invalid, "a", "FormationViolation")]
    [InlineData("[3,\"a\",{},{}]", FrameKind.Invalid, "a", "FormationViolation")]
    [InlineData("[4,\"a\",\"X\",{}]", FrameKind.Invalid, "a", "FormationViolation")]
    [InlineData("[9,\"a\",\"Heartbeat\",{}]", FrameKind.Invalid, "a", "ProtocolError")]
    public void Bad_frames_are_classified_with_the_code_to_answer(string text, FrameKind kind, string? id, string? code)
    {
        var frame = Parse(text);

        Assert.Equal(kind, frame.Kind);
        Assert.Equal(id, frame.MessageId);
        Assert.Equal(code, frame.ErrorCode);
        if (kind == FrameKind.Invalid)
        {
            Assert.False(string.IsNullOrWhiteSpace(frame.ErrorDescription));
        }
    }

    [Fact]
    public void Deeply_nested_json_is_refused_rather_than_parsed()
    {
        var text = "[2,\"a\",\"DataTransfer\"," + new string('[', 100) + new string(']', 100) + "]";

        Assert.Equal(FrameKind.Invalid, Parse(text).Kind);
    }

    [Fact]
    public void Written_frames_are_the_ocpp_j_arrays()
    {
        var call = Encoding.UTF8.GetString(OcppFrameCodec.WriteCall("id1", "Reset", "{\"type\":\"Soft\"}"u8));
        var result = Encoding.UTF8.GetString(OcppFrameCodec.WriteCallResult("id2", "{}"u8));
        var error = Encoding.UTF8.GetString(OcppFrameCodec.WriteCallError("id3", "NotImplemented", "unknown \"action\""));

        Assert.Equal("[2,\"id1\",\"Reset\",{\"type\":\"Soft\"}]", call);
        Assert.Equal("[3,\"id2\",{}]", result);
        Assert.Equal("NotImplemented", JsonDocument.Parse(error).RootElement[2].GetString());
        Assert.Equal("unknown \"action\"", JsonDocument.Parse(error).RootElement[3].GetString());
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(error).RootElement[4].ValueKind);
    }

    [Fact]
    public void Frames_written_one_after_another_on_a_thread_carry_nothing_of_the_one_before()
    {
        // The writer and its buffer are reused per thread: a short frame after a long (or a 100 KB) one must be exact.
        var big = "{\"key\":\"" + new string('k', 100_000) + "\"}";
        var long1 = OcppFrameCodec.WriteCall("long", "ChangeConfiguration", Encoding.UTF8.GetBytes("{\"key\":\"AuthorizationKey\",\"value\":\"0123456789abcdef\"}"));
        var huge = OcppFrameCodec.WriteCall("huge", "DataTransfer", Encoding.UTF8.GetBytes(big));
        var short1 = OcppFrameCodec.WriteCallResult("s", "{}"u8);
        var short2 = OcppFrameCodec.WriteCallError("e", "GenericError", "x");

        Assert.EndsWith("\"value\":\"0123456789abcdef\"}]", Encoding.UTF8.GetString(long1), StringComparison.Ordinal);
        Assert.Equal(big.Length + "[2,\"huge\",\"DataTransfer\",]".Length, huge.Length);
        Assert.Equal("[3,\"s\",{}]", Encoding.UTF8.GetString(short1));
        Assert.Equal("[4,\"e\",\"GenericError\",\"x\",{}]", Encoding.UTF8.GetString(short2));
        Assert.NotSame(short1, OcppFrameCodec.WriteCallResult("s", "{}"u8));
    }

    [Fact]
    public void An_error_description_is_cut_to_255_characters()
    {
        var error = OcppFrameCodec.WriteCallError("x", "GenericError", new string('d', 400));

        Assert.Equal(255, JsonDocument.Parse(error).RootElement[3].GetString()!.Length);
    }

    [Theory]
    [InlineData(new[] { "ocpp1.6" }, "ocpp1.6")]
    [InlineData(new[] { "ocpp0.1", "ocpp1.6" }, "ocpp1.6")]
    [InlineData(new[] { "ocpp2.0.1", "ocpp1.6" }, "ocpp2.0.1")]
    [InlineData(new[] { "ocpp1.5" }, null)]
    [InlineData(new string[0], null)]
    public void The_first_offered_supported_protocol_is_chosen(string[] offered, string? chosen) =>
        Assert.Equal(chosen, OcppProtocols.Select(offered));
}
