using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I18OpsTenantsRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeactivatedAt",
                table: "Tenants",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RetentionSettings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    ConnectionAttemptsDays = table.Column<int>(type: "integer", nullable: true),
                    MeterSamplesDays = table.Column<int>(type: "integer", nullable: true),
                    MessageHistoryDays = table.Column<int>(type: "integer", nullable: true),
                    AuditEventsDays = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionSettings", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_RetentionSettings_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Existing databases: the bootstrap Administrators of "default" get Instance.Tenants (800), and every group
            // that may change the front door's settings (OCPP Security Settings, 500) gets Settings.Retention (510).
            // Quoted identifiers and INSERT … SELECT read the same on SQLite and PostgreSQL.
            migrationBuilder.Sql("""
                INSERT INTO "GroupRights" ("GroupId", "Right")
                SELECT g."Id", 800 FROM "Groups" g JOIN "Tenants" t ON t."Id" = g."TenantId"
                WHERE t."Slug" = 'default' AND g."Name" = 'Administrators'
                  AND NOT EXISTS (SELECT 1 FROM "GroupRights" r WHERE r."GroupId" = g."Id" AND r."Right" = 800);
                """);
            migrationBuilder.Sql("""
                INSERT INTO "GroupRights" ("GroupId", "Right")
                SELECT r."GroupId", 510 FROM "GroupRights" r
                WHERE r."Right" = 500
                  AND NOT EXISTS (SELECT 1 FROM "GroupRights" x WHERE x."GroupId" = r."GroupId" AND x."Right" = 510);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "GroupRights" WHERE "Right" IN (510, 800);""");
            migrationBuilder.DropTable(
                name: "RetentionSettings");

            migrationBuilder.DropColumn(
                name: "DeactivatedAt",
                table: "Tenants");
        }
    }
}
