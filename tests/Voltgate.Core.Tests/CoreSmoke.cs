namespace Voltgate.Core.Tests; public class CoreSmoke { [Fact] public void Loads() => Assert.NotNull(typeof(Voltgate.Core.CoreMarker)); }
