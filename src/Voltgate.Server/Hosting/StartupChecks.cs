using Voltgate.Core.Data;
using Voltgate.Server.Ocpp.FrontDoor;

namespace Voltgate.Server.Hosting;

/// <summary>Configuration that must be right before anything listens; each failure is a one-line reason.</summary>
internal static class StartupChecks
{
    public static Uri WebUrl(VoltgateOptions options) =>
        Uri.TryCreate(options.Web.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new OcppConfigurationException($"Voltgate:Web:Url must be an absolute http(s) URL (was '{options.Web.Url}').");

    public static DatabaseOptions Database(VoltgateOptions options, string? connectionString)
    {
        if (options.Database.WriteBatchDelayMs is < 0 or > 1_000)
        {
            throw new OcppConfigurationException($"Voltgate:Database:WriteBatchDelayMs must be between 0 and 1000 (was {options.Database.WriteBatchDelayMs}).");
        }

        switch (options.Database.Provider)
        {
            case DatabaseProvider.Postgres when string.IsNullOrWhiteSpace(connectionString):
                throw new OcppConfigurationException("Voltgate:Database:Provider is Postgres but ConnectionStrings:Voltgate is not set.");
            case DatabaseProvider.Postgres:
                return new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString, WriteBatchDelayMs = options.Database.WriteBatchDelayMs };
            case DatabaseProvider.Sqlite when options.Database.SqliteSynchronous.ToUpperInvariant() is not ("NORMAL" or "FULL" or "EXTRA" or "OFF"):
                throw new OcppConfigurationException($"Voltgate:Database:SqliteSynchronous must be NORMAL, FULL, EXTRA or OFF (was '{options.Database.SqliteSynchronous}').");
            default:
                var directory = Path.GetFullPath(options.DataDirectory);
                Directory.CreateDirectory(directory);
                return new DatabaseOptions
                {
                    Provider = DatabaseProvider.Sqlite,
                    ConnectionString = DataRegistration.SqliteConnectionString(directory),
                    SqliteSynchronous = options.Database.SqliteSynchronous,
                    WriteBatchDelayMs = options.Database.WriteBatchDelayMs,
                };
        }
    }
}
