using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Postgres
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

            migrationBuilder.AlterColumn<string>(
                name: "StopIdTag",
                table: "Transactions",
                type: "character varying(36)",
                maxLength: 36,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "IdTag",
                table: "Transactions",
                type: "character varying(36)",
                maxLength: 36,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20)",
                oldMaxLength: 20);

            migrationBuilder.AddColumn<string>(
                name: "StationTransactionId",
                table: "Transactions",
                type: "character varying(36)",
                maxLength: 36,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastProtocol",
                table: "Stations",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TransactionEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    TransactionId = table.Column<int>(type: "integer", nullable: false),
                    SeqNo = table.Column<int>(type: "integer", nullable: false),
                    EventType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    TriggerReason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Offline = table.Column<bool>(type: "boolean", nullable: false),
                    SampleCount = table.Column<int>(type: "integer", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.AlterColumn<string>(
                name: "StopIdTag",
                table: "Transactions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(36)",
                oldMaxLength: 36,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "IdTag",
                table: "Transactions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(36)",
                oldMaxLength: 36);

            migrationBuilder.CreateIndex(
                name: "IX_Transactions_StationId_ConnectorId_StartedAt",
                table: "Transactions",
                columns: new[] { "StationId", "ConnectorId", "StartedAt" },
                unique: true);
        }
    }
}
