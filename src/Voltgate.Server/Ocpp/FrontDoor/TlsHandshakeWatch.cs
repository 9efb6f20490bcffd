using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>
/// Notices TLS handshakes that fail on an OCPP listener (a station speaking ws:// to a wss:// port, no common
/// protocol or cipher, a client that does not trust our certificate): Kestrel only logs them, before any HTTP
/// request, so nothing else could tell the operator. Two connection middlewares around Kestrel's TLS one: the outer
/// sees the connection end, the inner is reached only when TLS succeeded. A connection that ends having sent bytes but
/// never reached the inner one is recorded as <see cref="UnattributedReason.TlsHandshakeFailed"/>.
/// </summary>
internal static class TlsHandshakeWatch
{
    /// <summary>Before UseHttps (and after the admission middleware, whose feature says whether bytes came).</summary>
    public static void Outer(ListenOptions listen, string endpoint) =>
        listen.Use(next => async connection =>
        {
            var passed = new Passed();
            connection.Features.Set(passed);
            try
            {
                await next(connection);
            }
            finally
            {
                if (!passed.Value && connection.Features.Get<IPendingAdmissionFeature>() is { SawBytes: true })
                {
                    var source = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
                    listen.ApplicationServices.GetService<UnattributedAttempts>()?.Record(source, endpoint, UnattributedReason.TlsHandshakeFailed, null);
                }
            }
        });

    /// <summary>After UseHttps: reached only once the TLS handshake has completed.</summary>
    public static void Inner(ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            if (connection.Features.Get<Passed>() is { } passed)
            {
                passed.Value = true;
            }

            return next(connection);
        });

    private sealed class Passed
    {
        public bool Value { get; set; }
    }
}
