using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "StationMessageRecordings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Identity = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Recording = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Until = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StationMessageRecordings", x => new { x.TenantId, x.Identity });
                });

            migrationBuilder.CreateTable(
                name: "StationMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Identity = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MessageType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Payload = table.Column<string>(type: "TEXT", nullable: true),
                    Length = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StationMessages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_StationMessages_At",
                table: "StationMessages",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_StationMessages_TenantId_Identity_Id",
                table: "StationMessages",
                columns: new[] { "TenantId", "Identity", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "StationMessageRecordings");

            migrationBuilder.DropTable(
                name: "StationMessages");
        }
    }
}
