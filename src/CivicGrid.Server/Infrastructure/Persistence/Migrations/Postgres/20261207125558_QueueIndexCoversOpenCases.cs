using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueIndexCoversOpenCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cases_Status_DueAt",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_cases_Status_DueAt_Tier_GridCode_SupervisionDueAt",
                table: "cases",
                columns: new[] { "Status", "DueAt", "Tier", "GridCode", "SupervisionDueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cases_Status_DueAt_Tier_GridCode_SupervisionDueAt",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_cases_Status_DueAt",
                table: "cases",
                columns: new[] { "Status", "DueAt" });
        }
    }
}
