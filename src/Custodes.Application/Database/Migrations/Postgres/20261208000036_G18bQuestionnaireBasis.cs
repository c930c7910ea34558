using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class G18bQuestionnaireBasis : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Basis",
                table: "questionnaire_responses",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Basis",
                table: "questionnaire_responses");
        }
    }
}
