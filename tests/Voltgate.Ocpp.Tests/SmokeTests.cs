namespace Voltgate.Ocpp.Tests;

public class SmokeTests
{
    [Fact]
    public void Assembly_loads() => Assert.Equal("Voltgate.Ocpp", typeof(AssemblyMarker).Assembly.GetName().Name);
}
