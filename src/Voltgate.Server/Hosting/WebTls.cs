using System.Security.Cryptography.X509Certificates;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>
/// The web UI's and API's TLS certificate: an https:// <c>Voltgate:Web:Url</c> is served over TLS with
/// <c>Voltgate:Web:Certificate</c>, or the server refuses to start; it never falls back to plain HTTP.
/// </summary>
internal static class WebTls
{
    private const string Section = "Voltgate:Web";

    /// <summary>Null for an http:// URL; the loaded certificate for https://; a one-line reason otherwise.</summary>
    public static X509Certificate2? Load(Uri webUrl, WebOptions web)
    {
        if (webUrl.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var path = web.Certificate.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new OcppConfigurationException($"{Section}:Url is https:// but {Section}:Certificate:Path is not set; set it (PFX, or PEM with KeyPath) or use http:// behind a TLS proxy.");
        }

        if (!File.Exists(path))
        {
            throw new OcppConfigurationException($"{Section}:Certificate:Path '{path}' does not exist.");
        }

        return Listeners.LoadCertificate(web.Certificate, Section);
    }
}
