using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Custodes.Storage.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupplyChainPortfolios : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_portfolios",
                table: "portfolios");

            migrationBuilder.DropColumn(
                name: "Content",
                table: "portfolios");

            migrationBuilder.DropColumn(
                name: "Organizations",
                table: "portfolios");

            migrationBuilder.DropColumn(
                name: "Relationships",
                table: "portfolios");

            migrationBuilder.DropColumn(
                name: "Tools",
                table: "portfolios");

            migrationBuilder.RenameTable(
                name: "portfolios",
                newName: "supply_chain_portfolios");

            migrationBuilder.AlterColumn<string>(
                name: "ImportedBy",
                table: "supply_chain_portfolios",
                type: "character varying(320)",
                maxLength: 320,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.AlterColumn<long>(
                name: "Version",
                table: "supply_chain_portfolios",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddColumn<Guid>(
                name: "Id",
                table: "supply_chain_portfolios",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "OwnerKey",
                table: "supply_chain_portfolios",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "OwnerOrganizationId",
                table: "supply_chain_portfolios",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_supply_chain_portfolios",
                table: "supply_chain_portfolios",
                column: "Id");

            migrationBuilder.CreateTable(
                name: "letter_changes",
                columns: table => new
                {
                    LetterId = table.Column<Guid>(type: "uuid", nullable: false),
                    Change = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProcessedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Notices = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_letter_changes", x => new { x.LetterId, x.Change });
                    table.ForeignKey(
                        name: "FK_letter_changes_letters_LetterId",
                        column: x => x.LetterId,
                        principalTable: "letters",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "portfolio_organizations",
                columns: table => new
                {
                    PortfolioId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Data = table.Column<int>(type: "integer", nullable: true),
                    Tenants = table.Column<string>(type: "text", nullable: true),
                    LinkedOrganizationId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portfolio_organizations", x => new { x.PortfolioId, x.Key });
                    table.ForeignKey(
                        name: "FK_portfolio_organizations_organizations_LinkedOrganizationId",
                        column: x => x.LinkedOrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_portfolio_organizations_supply_chain_portfolios_PortfolioId",
                        column: x => x.PortfolioId,
                        principalTable: "supply_chain_portfolios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "portfolio_relationships",
                columns: table => new
                {
                    PortfolioId = table.Column<Guid>(type: "uuid", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Customer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Services = table.Column<int>(type: "integer", nullable: false),
                    Tools = table.Column<string>(type: "text", nullable: true),
                    Access = table.Column<int>(type: "integer", nullable: false),
                    Endpoints = table.Column<int>(type: "integer", nullable: true),
                    Data = table.Column<int>(type: "integer", nullable: true),
                    ContractStart = table.Column<DateOnly>(type: "date", nullable: true),
                    ContractEnd = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portfolio_relationships", x => new { x.PortfolioId, x.Position });
                    table.ForeignKey(
                        name: "FK_portfolio_relationships_supply_chain_portfolios_PortfolioId",
                        column: x => x.PortfolioId,
                        principalTable: "supply_chain_portfolios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "portfolio_tools",
                columns: table => new
                {
                    PortfolioId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Product = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Operator = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Instance = table.Column<string>(type: "text", nullable: true),
                    Name = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portfolio_tools", x => new { x.PortfolioId, x.Key });
                    table.ForeignKey(
                        name: "FK_portfolio_tools_supply_chain_portfolios_PortfolioId",
                        column: x => x.PortfolioId,
                        principalTable: "supply_chain_portfolios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "responsibility_matrices",
                columns: table => new
                {
                    PortfolioId = table.Column<Guid>(type: "uuid", nullable: false),
                    Provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Framework = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    PublishedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Content = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_responsibility_matrices", x => new { x.PortfolioId, x.Provider });
                    table.ForeignKey(
                        name: "FK_responsibility_matrices_supply_chain_portfolios_PortfolioId",
                        column: x => x.PortfolioId,
                        principalTable: "supply_chain_portfolios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "supply_chain_notices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    PortfolioId = table.Column<Guid>(type: "uuid", nullable: false),
                    Customer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CustomerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProviderName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LetterId = table.Column<Guid>(type: "uuid", nullable: false),
                    Change = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    ScoreBefore = table.Column<int>(type: "integer", nullable: true),
                    ScoreAfter = table.Column<int>(type: "integer", nullable: true),
                    CmmcLevel1Before = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CmmcLevel1After = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CmmcLevel2Before = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CmmcLevel2After = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Requirements = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_supply_chain_notices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_supply_chain_notices_organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_supply_chain_notices_supply_chain_portfolios_PortfolioId",
                        column: x => x.PortfolioId,
                        principalTable: "supply_chain_portfolios",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_supply_chain_portfolios_OwnerKey",
                table: "supply_chain_portfolios",
                column: "OwnerKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_supply_chain_portfolios_OwnerOrganizationId",
                table: "supply_chain_portfolios",
                column: "OwnerOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_portfolio_organizations_LinkedOrganizationId",
                table: "portfolio_organizations",
                column: "LinkedOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_portfolio_relationships_PortfolioId_Customer",
                table: "portfolio_relationships",
                columns: new[] { "PortfolioId", "Customer" });

            migrationBuilder.CreateIndex(
                name: "IX_portfolio_relationships_PortfolioId_Provider",
                table: "portfolio_relationships",
                columns: new[] { "PortfolioId", "Provider" });

            migrationBuilder.CreateIndex(
                name: "IX_supply_chain_notices_LetterId_Change_PortfolioId_Customer_O~",
                table: "supply_chain_notices",
                columns: new[] { "LetterId", "Change", "PortfolioId", "Customer", "OrganizationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_supply_chain_notices_OrganizationId_CreatedAt",
                table: "supply_chain_notices",
                columns: new[] { "OrganizationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_supply_chain_notices_PortfolioId",
                table: "supply_chain_notices",
                column: "PortfolioId");

            migrationBuilder.AddForeignKey(
                name: "FK_supply_chain_portfolios_organizations_OwnerOrganizationId",
                table: "supply_chain_portfolios",
                column: "OwnerOrganizationId",
                principalTable: "organizations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_supply_chain_portfolios_organizations_OwnerOrganizationId",
                table: "supply_chain_portfolios");

            migrationBuilder.DropTable(
                name: "letter_changes");

            migrationBuilder.DropTable(
                name: "portfolio_organizations");

            migrationBuilder.DropTable(
                name: "portfolio_relationships");

            migrationBuilder.DropTable(
                name: "portfolio_tools");

            migrationBuilder.DropTable(
                name: "responsibility_matrices");

            migrationBuilder.DropTable(
                name: "supply_chain_notices");

            migrationBuilder.DropPrimaryKey(
                name: "PK_supply_chain_portfolios",
                table: "supply_chain_portfolios");

            migrationBuilder.DropIndex(
                name: "IX_supply_chain_portfolios_OwnerKey",
                table: "supply_chain_portfolios");

            migrationBuilder.DropIndex(
                name: "IX_supply_chain_portfolios_OwnerOrganizationId",
                table: "supply_chain_portfolios");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "supply_chain_portfolios");

            migrationBuilder.DropColumn(
                name: "OwnerKey",
                table: "supply_chain_portfolios");

            migrationBuilder.DropColumn(
                name: "OwnerOrganizationId",
                table: "supply_chain_portfolios");

            migrationBuilder.RenameTable(
                name: "supply_chain_portfolios",
                newName: "portfolios");

            migrationBuilder.AlterColumn<long>(
                name: "Version",
                table: "portfolios",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AlterColumn<string>(
                name: "ImportedBy",
                table: "portfolios",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(320)",
                oldMaxLength: 320);

            migrationBuilder.AddColumn<string>(
                name: "Content",
                table: "portfolios",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Organizations",
                table: "portfolios",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Relationships",
                table: "portfolios",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Tools",
                table: "portfolios",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_portfolios",
                table: "portfolios",
                column: "Version");
        }
    }
}
