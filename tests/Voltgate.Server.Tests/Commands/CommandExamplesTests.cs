using System.Text.Json;
using Voltgate.Ocpp.V16;
using Voltgate.Server.Commands;

namespace Voltgate.Server.Tests.Commands;

public sealed class CommandExamplesTests
{
    public static TheoryData<string> Actions => [.. CommandExamples.Actions];

    [Theory]
    [MemberData(nameof(Actions))]
    public void Every_example_body_is_a_valid_request_of_its_command(string action)
    {
        using var body = JsonDocument.Parse(CommandExamples.For(action, DateTimeOffset.UtcNow));

        Assert.True(V16Catalog.TryGet(action, out var descriptor), $"{action} is not an OCPP 1.6 action");
        Assert.Equal(Voltgate.Ocpp.OcppDirection.CsmsToStation, descriptor.Direction);
        Assert.Null(descriptor.ValidateRequest(body.RootElement));
    }
}
