using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class I17RotationKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreviousVariants",
                table: "RotationStations",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "CsmsUrl",
                table: "PasswordRotations",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "PasswordRotations",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "Password");

            migrationBuilder.AddColumn<long>(
                name: "NotBefore",
                table: "PasswordRotations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetVariant",
                table: "PasswordRotations",
                type: "TEXT",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PreviousVariants",
                table: "RotationStations");

            migrationBuilder.DropColumn(
                name: "CsmsUrl",
                table: "PasswordRotations");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "PasswordRotations");

            migrationBuilder.DropColumn(
                name: "NotBefore",
                table: "PasswordRotations");

            migrationBuilder.DropColumn(
                name: "TargetVariant",
                table: "PasswordRotations");
        }
    }
}
