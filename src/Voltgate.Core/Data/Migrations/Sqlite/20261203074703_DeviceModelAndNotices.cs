using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ComponentName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ComponentInstance = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    EvseId = table.Column<int>(type: "INTEGER", nullable: true),
                    ConnectorId = table.Column<int>(type: "INTEGER", nullable: true),
                    VariableName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    VariableInstance = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    AttributesJson = table.Column<string>(type: "TEXT", nullable: false),
                    DataType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    MinLimit = table.Column<decimal>(type: "TEXT", nullable: true),
                    MaxLimit = table.Column<decimal>(type: "TEXT", nullable: true),
                    ValuesList = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    SupportsMonitoring = table.Column<bool>(type: "INTEGER", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    RequestId = table.Column<int>(type: "INTEGER", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2600, nullable: true)
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
