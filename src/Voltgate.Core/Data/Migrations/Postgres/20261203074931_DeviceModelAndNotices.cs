using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeviceModelAndNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeviceModelVariables",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ComponentName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ComponentInstance = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    EvseId = table.Column<int>(type: "integer", nullable: true),
                    ConnectorId = table.Column<int>(type: "integer", nullable: true),
                    VariableName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    VariableInstance = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    AttributesJson = table.Column<string>(type: "text", nullable: false),
                    DataType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Unit = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    MinLimit = table.Column<decimal>(type: "numeric", nullable: true),
                    MaxLimit = table.Column<decimal>(type: "numeric", nullable: true),
                    ValuesList = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    SupportsMonitoring = table.Column<bool>(type: "boolean", nullable: true),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeviceModelVariables", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeviceModelVariables_Stations_StationId",
                        column: x => x.StationId,
                        principalTable: "Stations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StationNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    StationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    RequestId = table.Column<int>(type: "integer", nullable: true),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Detail = table.Column<string>(type: "character varying(2600)", maxLength: 2600, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StationNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StationNotices_Stations_StationId",
                        column: x => x.StationId,
                        principalTable: "Stations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeviceModelVariables_StationId_Key",
                table: "DeviceModelVariables",
                columns: new[] { "StationId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeviceModelVariables_TenantId",
                table: "DeviceModelVariables",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_StationNotices_StationId_Kind_Id",
                table: "StationNotices",
                columns: new[] { "StationId", "Kind", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_StationNotices_TenantId",
                table: "StationNotices",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeviceModelVariables");

            migrationBuilder.DropTable(
                name: "StationNotices");
        }
    }
}
