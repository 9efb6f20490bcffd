using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BoundedGrowth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Anomalies",
                table: "Transactions",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "ConnectionAttempts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1); // each row recorded before this stood for one handshake

            migrationBuilder.AddColumn<long>(
                name: "LastAt",
                table: "ConnectionAttempts",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Anomalies",
                table: "Transactions");

            migrationBuilder.DropColumn(
                name: "Count",
                table: "ConnectionAttempts");

            migrationBuilder.DropColumn(
                name: "LastAt",
                table: "ConnectionAttempts");
        }
    }
}
