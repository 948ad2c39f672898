using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkerRunsOnePerPeriod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_assessment_runs_one_without_level",
                table: "assessment_runs",
                columns: new[] { "SubdistrictCode", "Period", "Subject" },
                unique: true,
                filter: "\"Level\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_assessment_runs_one_without_level",
                table: "assessment_runs");
        }
    }
}
