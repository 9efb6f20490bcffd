using System.Text.Json;
using Voltgate.Ocpp.V16;

namespace Voltgate.Ocpp.Tests.V16;

public class GoldenPayloadTests
{
    public static TheoryData<string, bool> Payloads()
    {
        var data = new TheoryData<string, bool>();
        foreach (var action in GoldenPayloads.ByAction.Keys)
        {
            data.Add(action, true);
            data.Add(action, false);
        }

        return data;
    }

    [Fact]
    public void There_is_a_golden_payload_for_every_catalog_action() =>
        Assert.Equal(V16Catalog.Actions.Keys.Order(StringComparer.Ordinal), GoldenPayloads.ByAction.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Golden_payload_validates_deserialises_and_round_trips(string action, bool request)
    {
        var descriptor = V16Catalog.Actions[action];
        var (requestJson, responseJson) = GoldenPayloads.ByAction[action];
        var json = request ? requestJson : responseJson;
        var typeInfo = request ? descriptor.RequestTypeInfo : descriptor.ResponseTypeInfo;
        using var document = JsonDocument.Parse(json);

        var error = request ? descriptor.ValidateRequest(document.RootElement) : descriptor.ValidateResponse(document.RootElement);
        Assert.Null(error);

        var message = document.RootElement.Deserialize(typeInfo);
        Assert.NotNull(message);
        Assert.IsType(typeInfo.Type, message);

        var written = JsonSerializer.Serialize(message, typeInfo);
        JsonAssert.Equivalent(json, written);

        using var rewritten = JsonDocument.Parse(written);
        Assert.Null(request ? descriptor.ValidateRequest(rewritten.RootElement) : descriptor.ValidateResponse(rewritten.RootElement));
    }

    [Fact]
    public void Typed_deserialisation_gives_the_spec_values()
    {
        using var document = JsonDocument.Parse(GoldenPayloads.ByAction["MeterValues"].Request);
        var request = document.RootElement.Deserialize(V16JsonContext.Default.MeterValuesRequest)!;

        Assert.Equal(1001, request.TransactionId);
        var sampled = request.MeterValue[0].SampledValue;
        Assert.Equal("1234.5", sampled[0].Value);
        Assert.Equal(ReadingContext.SamplePeriodic, sampled[0].Context);
        Assert.Equal(Measurand.EnergyActiveImportRegister, sampled[0].Measurand);
        Assert.Equal(Phase.L1N, sampled[0].Phase);
        Assert.Equal(UnitOfMeasure.KWh, sampled[0].Unit);
        Assert.Equal(UnitOfMeasure.Celsius, sampled[1].Unit);
        Assert.Null(sampled[2].Unit);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), request.MeterValue[0].Timestamp);
    }
}
