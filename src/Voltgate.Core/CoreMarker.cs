namespace Voltgate.Core; public static class CoreMarker;
