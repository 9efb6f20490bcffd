using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TxV201TransactionEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Transactions_StationId_ConnectorId_StartedAt",
                table: "Transactions");

            migrationBuilder.AddColumn<string>(
                name: "StationTransactionId",
                table: "Transactions",
                type: "TEXT",
                maxLength: 36,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastProtocol",
                table: "Stations",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TransactionEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TransactionId = table.Column<int>(type: "INTEGER", nullable: false),
                    SeqNo = table.Column<int>(type: "INTEGER", nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TriggerReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    Offline = table.Column<bool>(type: "INTEGER", nullable: false),
                    SampleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TransactionEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TransactionEvents_Transactions_TransactionId",
                        column: x => x.TransactionId,
                        principalTable: "Transactions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Transactions_StationId_ConnectorId_StartedAt",
                table: "Transactions",
                columns: new[] { "StationId", "ConnectorId", "StartedAt" },
                unique: true,
                filter: "\"StationTransactionId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Transactions_StationId_StationTransactionId",
                table: "Transactions",
                columns: new[] { "StationId", "StationTransactionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TransactionEvents_TransactionId_SeqNo",
                table: "TransactionEvents",
                columns: new[] { "TransactionId", "SeqNo" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TransactionEvents");

            migrationBuilder.DropIndex(
                name: "IX_Transactions_StationId_ConnectorId_StartedAt",
                table: "Transactions");

            migrationBuilder.DropIndex(
                name: "IX_Transactions_StationId_StationTransactionId",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "StationTransactionId",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "LastProtocol",
                table: "Stations");

            migrationBuilder.CreateIndex(
                name: "IX_Transactions_StationId_ConnectorId_StartedAt",
                table: "Transactions",
                columns: new[] { "StationId", "ConnectorId", "StartedAt" },
                unique: true);
        }
    }
}
