using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EngagementMaterials : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "SelfAssessmentId",
                table: "engagements",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "engagement_evidence",
                columns: table => new
                {
                    EngagementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EvidenceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AttachedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AttachedBy = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagement_evidence", x => new { x.EngagementId, x.EvidenceId });
                    table.ForeignKey(
                        name: "FK_engagement_evidence_engagements_EngagementId",
                        column: x => x.EngagementId,
                        principalTable: "engagements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_engagement_evidence_evidence_EvidenceId",
                        column: x => x.EvidenceId,
                        principalTable: "evidence",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_engagement_evidence_EvidenceId",
                table: "engagement_evidence",
                column: "EvidenceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engagement_evidence");

            migrationBuilder.DropColumn(
                name: "SelfAssessmentId",
                table: "engagements");
        }
    }
}
