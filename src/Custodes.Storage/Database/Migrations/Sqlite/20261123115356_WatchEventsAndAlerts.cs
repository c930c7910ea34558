using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Storage.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WatchEventsAndAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "watch_alerts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MspOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Severity = table.Column<int>(type: "INTEGER", nullable: false),
                    Msp = table.Column<string>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", nullable: true),
                    Subject = table.Column<string>(type: "TEXT", nullable: true),
                    Tenants = table.Column<string>(type: "TEXT", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EventCount = table.Column<long>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StatusNote = table.Column<string>(type: "TEXT", nullable: true),
                    StatusBy = table.Column<string>(type: "TEXT", nullable: true),
                    StatusAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Growing = table.Column<bool>(type: "INTEGER", nullable: false),
                    DetectedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_alerts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_watch_alerts_organizations_MspOrganizationId",
                        column: x => x.MspOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "watch_batches",
                columns: table => new
                {
                    msp_organization_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    idx = table.Column<long>(type: "INTEGER", nullable: false),
                    first_seq = table.Column<long>(type: "INTEGER", nullable: false),
                    count = table.Column<int>(type: "INTEGER", nullable: false),
                    event_hashes = table.Column<byte[]>(type: "BLOB", nullable: false),
                    entry = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_batches", x => new { x.msp_organization_id, x.idx });
                });

            migrationBuilder.CreateTable(
                name: "watch_checkpoints",
                columns: table => new
                {
                    msp_organization_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    root_hash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    note = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_checkpoints", x => new { x.msp_organization_id, x.size });
                });

            migrationBuilder.CreateTable(
                name: "watch_events",
                columns: table => new
                {
                    msp_organization_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    seq = table.Column<long>(type: "INTEGER", nullable: false),
                    time_ticks = table.Column<long>(type: "INTEGER", nullable: false),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    msp = table.Column<string>(type: "TEXT", nullable: false),
                    tenant = table.Column<string>(type: "TEXT", nullable: true),
                    actor = table.Column<string>(type: "TEXT", nullable: true),
                    actor_ip = table.Column<string>(type: "TEXT", nullable: true),
                    action = table.Column<string>(type: "TEXT", nullable: false),
                    target = table.Column<string>(type: "TEXT", nullable: true),
                    detail = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_events", x => new { x.msp_organization_id, x.seq });
                });

            migrationBuilder.CreateTable(
                name: "watch_log_hashes",
                columns: table => new
                {
                    msp_organization_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    stored_index = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_log_hashes", x => new { x.msp_organization_id, x.stored_index });
                });

            migrationBuilder.CreateTable(
                name: "watch_msps",
                columns: table => new
                {
                    organization_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    settings = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    log_size = table.Column<long>(type: "INTEGER", nullable: false),
                    event_count = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_msps", x => x.organization_id);
                    table.ForeignKey(
                        name: "FK_watch_msps_organizations_organization_id",
                        column: x => x.organization_id,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "watch_quarantine",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MspOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    File = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Line = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Raw = table.Column<string>(type: "TEXT", nullable: false),
                    RawBase64 = table.Column<string>(type: "TEXT", nullable: true),
                    Truncated = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_quarantine", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "watch_tenants",
                columns: table => new
                {
                    MspOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Tenant = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CustomerOrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_tenants", x => new { x.MspOrganizationId, x.Tenant });
                    table.ForeignKey(
                        name: "FK_watch_tenants_organizations_CustomerOrganizationId",
                        column: x => x.CustomerOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_watch_tenants_organizations_MspOrganizationId",
                        column: x => x.MspOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "watch_alert_events",
                columns: table => new
                {
                    AlertId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_alert_events", x => new { x.AlertId, x.Seq });
                    table.ForeignKey(
                        name: "FK_watch_alert_events_watch_alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "watch_alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "watch_alert_tenants",
                columns: table => new
                {
                    AlertId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Tenant = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_watch_alert_tenants", x => new { x.AlertId, x.Tenant });
                    table.ForeignKey(
                        name: "FK_watch_alert_tenants_watch_alerts_AlertId",
                        column: x => x.AlertId,
                        principalTable: "watch_alerts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_watch_alert_tenants_Tenant",
                table: "watch_alert_tenants",
                column: "Tenant");

            migrationBuilder.CreateIndex(
                name: "IX_watch_alerts_MspOrganizationId_FirstSeen",
                table: "watch_alerts",
                columns: new[] { "MspOrganizationId", "FirstSeen" });

            migrationBuilder.CreateIndex(
                name: "IX_watch_msps_event_name",
                table: "watch_msps",
                column: "event_name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_watch_quarantine_MspOrganizationId_Id",
                table: "watch_quarantine",
                columns: new[] { "MspOrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_watch_tenants_CustomerOrganizationId",
                table: "watch_tenants",
                column: "CustomerOrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "watch_alert_events");

            migrationBuilder.DropTable(
                name: "watch_alert_tenants");

            migrationBuilder.DropTable(
                name: "watch_batches");

            migrationBuilder.DropTable(
                name: "watch_checkpoints");

            migrationBuilder.DropTable(
                name: "watch_events");

            migrationBuilder.DropTable(
                name: "watch_log_hashes");

            migrationBuilder.DropTable(
                name: "watch_msps");

            migrationBuilder.DropTable(
                name: "watch_quarantine");

            migrationBuilder.DropTable(
                name: "watch_tenants");

            migrationBuilder.DropTable(
                name: "watch_alerts");
        }
    }
}
