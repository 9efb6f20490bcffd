using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class I17RotationKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "PreviousVariants",
                table: "RotationStations",
                type: "text[]",
                nullable: false);

            migrationBuilder.AddColumn<string>(
                name: "CsmsUrl",
                table: "PasswordRotations",
                type: "character varying(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "PasswordRotations",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Password");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NotBefore",
                table: "PasswordRotations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetVariant",
                table: "PasswordRotations",
                type: "character varying(20)",
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
