using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Voltgate.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ObsUnattributedAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UnattributedAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceAddress = table.Column<string>(type: "TEXT", maxLength: 45, nullable: false),
                    Endpoint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UnattributedAttempts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UnattributedAttempts_At",
                table: "UnattributedAttempts",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_UnattributedAttempts_SourceAddress_At",
                table: "UnattributedAttempts",
                columns: new[] { "SourceAddress", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UnattributedAttempts");
        }
    }
}
