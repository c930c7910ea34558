using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Storage.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountsAndSharing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastTotpStep",
                table: "users",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RecoveryCodes",
                table: "users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "assessment_shares",
                columns: table => new
                {
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_shares", x => new { x.AssessmentId, x.OrganizationId });
                    table.ForeignKey(
                        name: "FK_assessment_shares_assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_assessment_shares_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_EntityId_Sequence",
                table: "audit_log",
                columns: new[] { "EntityId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_shares_OrganizationId",
                table: "assessment_shares",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_shares");

            migrationBuilder.DropIndex(
                name: "IX_audit_log_EntityId_Sequence",
                table: "audit_log");

            migrationBuilder.DropColumn(
                name: "LastTotpStep",
                table: "users");

            migrationBuilder.DropColumn(
                name: "RecoveryCodes",
                table: "users");
        }
    }
}
