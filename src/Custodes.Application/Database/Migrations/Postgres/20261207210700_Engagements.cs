using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequesterOrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FirmOrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Framework = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Scope = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    TargetDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Stage = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    DeclineReason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DeclineNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LeadUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    LeadName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    AssessorUserIds = table.Column<string>(type: "text", nullable: true),
                    Independence = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    AcceptedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    C3paoId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    AssessmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    QaReviewerUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    QaReviewerName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    QaSignedOffAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LetterId = table.Column<Guid>(type: "uuid", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PublicKeyPem = table.Column<string>(type: "text", nullable: false),
                    EncryptedPrivateKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
