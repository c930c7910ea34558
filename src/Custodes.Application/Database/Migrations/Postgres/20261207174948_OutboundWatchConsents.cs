using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboundWatchConsents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_watch_tenants_organizations_CustomerOrganizationId",
                table: "watch_tenants");

            migrationBuilder.CreateTable(
                name: "watch_consents",
                columns: table => new
                {
                    CustomerOrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    MspOrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_consents", x => new { x.CustomerOrganizationId, x.MspOrganizationId });
                    table.ForeignKey(
                        name: "FK_watch_consents_organizations_CustomerOrganizationId",
                        column: x => x.CustomerOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_watch_consents_organizations_MspOrganizationId",
                        column: x => x.MspOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_watch_consents_MspOrganizationId",
                table: "watch_consents",
                column: "MspOrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "watch_consents");

            migrationBuilder.AddForeignKey(
                name: "FK_watch_tenants_organizations_CustomerOrganizationId",
                table: "watch_tenants",
                column: "CustomerOrganizationId",
                principalTable: "organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
