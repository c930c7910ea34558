using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecoveryCapacity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Backup",
                table: "portfolio_relationships",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Servers",
                table: "portfolio_relationships",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Recovery",
                table: "portfolio_organizations",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Backup",
                table: "portfolio_relationships");

            migrationBuilder.DropColumn(
                name: "Servers",
                table: "portfolio_relationships");

            migrationBuilder.DropColumn(
                name: "Recovery",
                table: "portfolio_organizations");
        }
    }
}
