using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class G15sTrustSubscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "ChannelId",
                table: "alert_deliveries",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "SubscriptionId",
                table: "alert_deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "trust_subscriptions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Target = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProtectedSecret = table.Column<string>(type: "text", nullable: true),
                    ConfirmHash = table.Column<byte[]>(type: "bytea", nullable: true),
                    ConfirmExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UnsubscribeHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    ProtectedUnsubscribe = table.Column<string>(type: "text", nullable: false),
                    RequestedFrom = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConfirmedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastMailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trust_subscriptions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_trust_subscriptions_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_alert_deliveries_SubscriptionId_AlertId",
                table: "alert_deliveries",
                columns: new[] { "SubscriptionId", "AlertId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trust_subscriptions_ConfirmHash",
                table: "trust_subscriptions",
                column: "ConfirmHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trust_subscriptions_OrganizationId_Kind_Target",
                table: "trust_subscriptions",
                columns: new[] { "OrganizationId", "Kind", "Target" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trust_subscriptions_RequestedFrom_CreatedAt",
                table: "trust_subscriptions",
                columns: new[] { "RequestedFrom", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_trust_subscriptions_UnsubscribeHash",
                table: "trust_subscriptions",
                column: "UnsubscribeHash",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_alert_deliveries_trust_subscriptions_SubscriptionId",
                table: "alert_deliveries",
                column: "SubscriptionId",
                principalTable: "trust_subscriptions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_alert_deliveries_trust_subscriptions_SubscriptionId",
                table: "alert_deliveries");

            migrationBuilder.DropTable(
                name: "trust_subscriptions");

            migrationBuilder.DropIndex(
                name: "IX_alert_deliveries_SubscriptionId_AlertId",
                table: "alert_deliveries");

            migrationBuilder.DropColumn(
                name: "SubscriptionId",
                table: "alert_deliveries");

            migrationBuilder.AlterColumn<Guid>(
                name: "ChannelId",
                table: "alert_deliveries",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
