using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PasswordRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EngineLeases",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EngineLeases", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "PasswordRotations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceJson = table.Column<string>(type: "TEXT", nullable: false),
                    TargetKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TargetPasswordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    LostAfterSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Concurrency = table.Column<int>(type: "INTEGER", nullable: false),
                    PacingMilliseconds = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PasswordRotations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PasswordRotations_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RotationStations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RotationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Identity = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TargetPasswordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PreviousPasswordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PreviousPins = table.Column<string>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousAdmitted = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RotationStations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RotationStations_PasswordRotations_RotationId",
                        column: x => x.RotationId,
                        principalTable: "PasswordRotations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RotationStations_Stations_StationId",
                        column: x => x.StationId,
                        principalTable: "Stations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PasswordRotations_State",
                table: "PasswordRotations",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_PasswordRotations_TenantId_CreatedAt",
                table: "PasswordRotations",
                columns: new[] { "TenantId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RotationStations_RotationId_Identity",
                table: "RotationStations",
                columns: new[] { "RotationId", "Identity" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RotationStations_State_StationId",
                table: "RotationStations",
                columns: new[] { "State", "StationId" });

            migrationBuilder.CreateIndex(
                name: "IX_RotationStations_StationId",
                table: "RotationStations",
                column: "StationId");

            // Groups that manage OCPP Security Settings (the bootstrap Administrators among them) may rotate too,
            // so an upgraded installation can use rotation without editing rights first (500 -> 502).
            migrationBuilder.Sql("INSERT INTO \"GroupRights\" (\"GroupId\", \"Right\") SELECT \"GroupId\", 502 FROM \"GroupRights\" WHERE \"Right\" = 500;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EngineLeases");

            migrationBuilder.DropTable(
                name: "RotationStations");

            migrationBuilder.DropTable(
                name: "PasswordRotations");
        }
    }
}
