using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Engagements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "engagements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequesterOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FirmOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Framework = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    TargetDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DeclineNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LeadUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    LeadName = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    AssessorUserIds = table.Column<string>(type: "TEXT", nullable: true),
                    Independence = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    C3paoId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    QaReviewerUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    QaReviewerName = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    QaSignedOffAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LetterId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_engagements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_engagements_organizations_FirmOrganizationId",
                        column: x => x.FirmOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_engagements_organizations_RequesterOrganizationId",
                        column: x => x.RequesterOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "firm_keys",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "TEXT", nullable: false),
                    EncryptedPrivateKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_firm_keys", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_firm_keys_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_engagements_FirmOrganizationId",
                table: "engagements",
                column: "FirmOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_engagements_RequesterOrganizationId",
                table: "engagements",
                column: "RequesterOrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engagements");

            migrationBuilder.DropTable(
                name: "firm_keys");
        }
    }
}
