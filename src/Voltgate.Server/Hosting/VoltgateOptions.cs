using Voltgate.Core.Data;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>Voltgate (root section). Every key can be set by environment variable, e.g. Voltgate__Web__Url.</summary>
internal sealed class VoltgateOptions
{
    public string DataDirectory { get; set; } = "./data";
    public WebOptions Web { get; set; } = new();
    public DatabaseSection Database { get; set; } = new();
    public DataProtectionSection DataProtection { get; set; } = new();
}

internal sealed class WebOptions
{
    public string Url { get; set; } = "http://localhost:5000";

    /// <summary>Required when <see cref="Url"/> is https:// (docs/configuration.md).</summary>
    public CertificateOptions Certificate { get; set; } = new();

    public ForwardedHeadersSection ForwardedHeaders { get; set; } = new();
}

/// <summary>Voltgate:Web:ForwardedHeaders — trust X-Forwarded-For/-Proto from these proxies only (off by default).</summary>
internal sealed class ForwardedHeadersSection
{
    public bool Enabled { get; set; }
    public List<string> KnownProxies { get; set; } = [];
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>Voltgate:DataProtection — the certificate that encrypts the key ring at rest (docs/security.md).</summary>
internal sealed class DataProtectionSection
{
    public CertificateOptions Certificate { get; set; } = new();

    /// <summary>Certificates replaced by <see cref="Certificate"/>: they still open the keys they encrypted.</summary>
    public List<CertificateOptions> PreviousCertificates { get; set; } = [];
}

internal sealed class DatabaseSection
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite only: PRAGMA synchronous in WAL mode (NORMAL, or FULL to sync the log at every commit).</summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>Milliseconds the station-message writer lets a batch fill under load (0 to 1000; 0 writes at once).</summary>
    public int WriteBatchDelayMs { get; set; } = 5;
}
