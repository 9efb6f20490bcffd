namespace Voltgate.Server.Tests.Support;

/// <summary>
/// Which databases the integration tests run on: SQLite always, PostgreSQL when VOLTGATE_TEST_POSTGRES names a
/// server (the test script starts one). On CI a missing PostgreSQL fails the run instead of silently skipping.
/// </summary>
public static class TestDatabases
{
    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "Sqlite" };
            if (Environment.GetEnvironmentVariable("VOLTGATE_TEST_POSTGRES") is { Length: > 0 } || IsCi)
            {
                data.Add("Postgres");
            }

            return data;
        }
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string PostgresConnectionString()
    {
        var server = Environment.GetEnvironmentVariable("VOLTGATE_TEST_POSTGRES");
        if (string.IsNullOrEmpty(server))
        {
            throw new InvalidOperationException("VOLTGATE_TEST_POSTGRES is not set: run the tests with ./scripts/test.sh, which starts PostgreSQL.");
        }

        // A database per server instance keeps parallel tests apart; EF creates it on first migration.
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "vg_" + Guid.NewGuid().ToString("N")[..16] };
        return builder.ConnectionString;
    }
}
