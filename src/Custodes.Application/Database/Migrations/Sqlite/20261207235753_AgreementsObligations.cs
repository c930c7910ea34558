using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AgreementsObligations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Customer = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProviderName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SignedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RenewsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NoticeDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agreements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_agreements_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_agreements_organizations_ProviderOrganizationId",
                        column: x => x.ProviderOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "watch_alert_notices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AlertId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: false),
                    SentBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_alert_notices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_watch_alert_notices_organizations_CustomerOrganizationId",
                        column: x => x.CustomerOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_watch_alert_notices_watch_alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "watch_alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "agreement_notices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderOrganizationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ObligationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Summary = table.Column<string>(type: "TEXT", nullable: false),
                    Since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agreement_notices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_agreement_notices_agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalTable: "agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "obligation_manual_statuses",
                columns: table => new
                {
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ObligationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Evidence = table.Column<string>(type: "TEXT", nullable: false),
                    SetBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    SetAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_obligation_manual_statuses", x => new { x.AgreementId, x.ObligationId });
                    table.ForeignKey(
                        name: "FK_obligation_manual_statuses_agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalTable: "agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "obligation_statuses",
                columns: table => new
                {
                    AgreementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ObligationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    Since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CheckedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_obligation_statuses", x => new { x.AgreementId, x.ObligationId });
                    table.ForeignKey(
                        name: "FK_obligation_statuses_agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalTable: "agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_agreement_notices_AgreementId_Kind_Key",
                table: "agreement_notices",
                columns: new[] { "AgreementId", "Kind", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_agreement_notices_OrganizationId_CreatedAt",
                table: "agreement_notices",
                columns: new[] { "OrganizationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_agreement_notices_ProviderOrganizationId_CreatedAt",
                table: "agreement_notices",
                columns: new[] { "ProviderOrganizationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_agreements_OrganizationId_Customer_Provider",
                table: "agreements",
                columns: new[] { "OrganizationId", "Customer", "Provider" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_agreements_ProviderOrganizationId",
                table: "agreements",
                column: "ProviderOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_watch_alert_notices_AlertId_CustomerOrganizationId_SentAt",
                table: "watch_alert_notices",
                columns: new[] { "AlertId", "CustomerOrganizationId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_watch_alert_notices_CustomerOrganizationId",
                table: "watch_alert_notices",
                column: "CustomerOrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_notices");

            migrationBuilder.DropTable(
                name: "obligation_manual_statuses");

            migrationBuilder.DropTable(
                name: "obligation_statuses");

            migrationBuilder.DropTable(
                name: "watch_alert_notices");

            migrationBuilder.DropTable(
                name: "agreements");
        }
    }
}
