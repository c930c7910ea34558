using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WitnessedLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "log_cosignatures",
                columns: table => new
                {
                    size = table.Column<long>(type: "bigint", nullable: false),
                    witness_key = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    line = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    cosigned_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_cosignatures", x => new { x.size, x.witness_key });
                });

            migrationBuilder.CreateTable(
                name: "log_witness_policy",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    quorum = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_witness_policy", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "log_witnesses",
                columns: table => new
                {
                    verifier_key = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    url = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    cosigned_size = table.Column<long>(type: "bigint", nullable: false),
                    added_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    last_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_log_witnesses", x => x.verifier_key);
                });

            migrationBuilder.CreateTable(
                name: "witness_logs",
                columns: table => new
                {
                    origin = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    verifier_key = table.Column<string>(type: "character varying(600)", maxLength: 600, nullable: false),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    root_hash = table.Column<byte[]>(type: "bytea", nullable: true),
                    added_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    cosigned_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_witness_logs", x => x.origin);
                });

            migrationBuilder.InsertData(
                table: "log_witness_policy",
                columns: new[] { "id", "quorum" },
                values: new object[] { 1, 0 });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "log_cosignatures");

            migrationBuilder.DropTable(
                name: "log_witness_policy");

            migrationBuilder.DropTable(
                name: "log_witnesses");

            migrationBuilder.DropTable(
                name: "witness_logs");
        }
    }
}
