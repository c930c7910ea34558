using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Custodes.Application.Database.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LetterSupersession : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "CloseoutDue",
                table: "letters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiredAt",
                table: "letters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExpiryReason",
                table: "letters",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SupersededAt",
                table: "letters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SupersededBy",
                table: "letters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Supersedes",
                table: "letters",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_letters_CloseoutDue",
                table: "letters",
                column: "CloseoutDue");

            migrationBuilder.CreateIndex(
                name: "IX_letters_Supersedes",
                table: "letters",
                column: "Supersedes",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_letters_CloseoutDue",
                table: "letters");

            migrationBuilder.DropIndex(
                name: "IX_letters_Supersedes",
                table: "letters");

            migrationBuilder.DropColumn(
                name: "CloseoutDue",
                table: "letters");

            migrationBuilder.DropColumn(
                name: "ExpiredAt",
                table: "letters");

            migrationBuilder.DropColumn(
                name: "ExpiryReason",
                table: "letters");

            migrationBuilder.DropColumn(
                name: "SupersededAt",
                table: "letters");

            migrationBuilder.DropColumn(
                name: "SupersededBy",
                table: "letters");

            migrationBuilder.DropColumn(
                name: "Supersedes",
                table: "letters");
        }
    }
}
