using Voltgate.Core.Data;

namespace Voltgate.Server.Hosting;

/// <summary>Voltgate (root section). Every key can be set by environment variable, e.g. Voltgate__Web__Url.</summary>
public sealed class VoltgateOptions
{
    public string DataDirectory { get; set; } = "./data";
    public WebOptions Web { get; set; } = new();
    public DatabaseSection Database { get; set; } = new();
}

public sealed class WebOptions
{
    public string Url { get; set; } = "http://localhost:5000";
}

public sealed class DatabaseSection
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite only: PRAGMA synchronous in WAL mode (NORMAL, or FULL to sync the log at every commit).</summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>Milliseconds the station-message writer lets a batch fill under load (0 to 1000; 0 writes at once).</summary>
    public int WriteBatchDelayMs { get; set; } = 5;
}
