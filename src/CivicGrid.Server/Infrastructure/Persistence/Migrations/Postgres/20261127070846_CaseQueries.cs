using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
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
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LocationLon",
                table: "cases",
                type: "double precision",
                nullable: true);

            // Cases stored before these columns existed: their position is in the geometry column.
            migrationBuilder.Sql("UPDATE cases SET \"LocationLon\" = ST_X(\"Location\"), \"LocationLat\" = ST_Y(\"Location\") WHERE \"LocationLon\" IS NULL;");

            migrationBuilder.CreateTable(
                name: "personal_data_reveals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Fields = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ClientIp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
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
