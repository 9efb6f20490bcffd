using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Postgres
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
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "ConnectionAttempts",
                type: "integer",
                nullable: false,
                defaultValue: 1); // each row recorded before this stood for one handshake

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastAt",
                table: "ConnectionAttempts",
                type: "timestamp with time zone",
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
