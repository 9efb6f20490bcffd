namespace Voltgate.Server.Tests; public class ServerSmoke { [Fact] public void Loads() => Assert.NotNull(typeof(Program)); }
