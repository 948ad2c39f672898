using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseQueries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "LocationLat",
                table: "cases",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LocationLon",
                table: "cases",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "personal_data_reveals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Fields = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ClientIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_personal_data_reveals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cases_LocationLat_LocationLon",
                table: "cases",
                columns: new[] { "LocationLat", "LocationLon" });

            migrationBuilder.CreateIndex(
                name: "IX_personal_data_reveals_At",
                table: "personal_data_reveals",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_personal_data_reveals_CaseNumber",
                table: "personal_data_reveals",
                column: "CaseNumber");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "personal_data_reveals");

            migrationBuilder.DropIndex(
                name: "IX_cases_LocationLat_LocationLon",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "LocationLat",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "LocationLon",
                table: "cases");
        }
    }
}
