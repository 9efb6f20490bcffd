using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PoolSecretWriteOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Stations configured with a secret lose their connection if it changes: refuse it below the application too.
            migrationBuilder.Sql("""
                CREATE TRIGGER "BasicAuthPasswords_SecretWriteOnce"
                BEFORE UPDATE OF "ProtectedSecret", "Fingerprint", "IsHex", "Length" ON "BasicAuthPasswords"
                WHEN NEW."ProtectedSecret" IS NOT OLD."ProtectedSecret" OR NEW."Fingerprint" IS NOT OLD."Fingerprint"
                  OR NEW."IsHex" IS NOT OLD."IsHex" OR NEW."Length" IS NOT OLD."Length"
                BEGIN
                  SELECT RAISE(ABORT, 'An existing BasicAuth password can never be changed.');
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"BasicAuthPasswords_SecretWriteOnce\";");
        }
    }
}
