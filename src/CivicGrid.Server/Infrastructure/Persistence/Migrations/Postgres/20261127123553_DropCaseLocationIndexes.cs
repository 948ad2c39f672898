using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DropCaseLocationIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cases_CategoryCode_LocationLat_LocationLon",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_LocationLat_LocationLon",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_cases_CategoryCode",
                table: "cases",
                column: "CategoryCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cases_CategoryCode",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_cases_CategoryCode_LocationLat_LocationLon",
                table: "cases",
                columns: new[] { "CategoryCode", "LocationLat", "LocationLon" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_LocationLat_LocationLon",
                table: "cases",
                columns: new[] { "LocationLat", "LocationLon" });
        }
    }
}
