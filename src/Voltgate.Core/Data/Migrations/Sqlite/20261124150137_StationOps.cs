using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class StationOps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "IdTagSuffixSeparator",
                table: "TenantSettings",
                type: "TEXT",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PresentedUsername",
                table: "ConnectionAttempts",
                type: "TEXT",
                maxLength: 48,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IdTagSuffixSeparator",
                table: "TenantSettings");

            migrationBuilder.DropColumn(
                name: "PresentedUsername",
                table: "ConnectionAttempts");
        }
    }
}
