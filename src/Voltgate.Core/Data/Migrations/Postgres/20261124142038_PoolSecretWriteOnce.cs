using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PoolSecretWriteOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Stations configured with a secret lose their connection if it changes: refuse it below the application too.
            migrationBuilder.Sql("""
                CREATE FUNCTION voltgate_secret_write_once() RETURNS trigger AS $$
                BEGIN
                  IF NEW."ProtectedSecret" IS DISTINCT FROM OLD."ProtectedSecret" OR NEW."Fingerprint" IS DISTINCT FROM OLD."Fingerprint"
                     OR NEW."IsHex" IS DISTINCT FROM OLD."IsHex" OR NEW."Length" IS DISTINCT FROM OLD."Length" THEN
                    RAISE EXCEPTION 'An existing BasicAuth password can never be changed.';
                  END IF;
                  RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER "BasicAuthPasswords_SecretWriteOnce" BEFORE UPDATE ON "BasicAuthPasswords"
                  FOR EACH ROW EXECUTE FUNCTION voltgate_secret_write_once();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"BasicAuthPasswords_SecretWriteOnce\" ON \"BasicAuthPasswords\"; DROP FUNCTION IF EXISTS voltgate_secret_write_once();");
        }
    }
}
