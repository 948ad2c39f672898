using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BreakdownRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Emptied so that the next start rebuilds every roll-up, the new breakdowns with them, from the cases.
            migrationBuilder.Sql("DELETE FROM case_count_rollups;");
            migrationBuilder.Sql("DELETE FROM case_open_counts;");

            migrationBuilder.CreateTable(
                name: "case_breakdown_rollups",
                columns: table => new
                {
                    Dimension = table.Column<int>(type: "integer", nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Start = table.Column<int>(type: "integer", nullable: false),
                    Member = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reported = table.Column<int>(type: "integer", nullable: false),
                    ReportedNowClosed = table.Column<int>(type: "integer", nullable: false),
                    Closed = table.Column<int>(type: "integer", nullable: false),
                    ClosedWithDeadline = table.Column<int>(type: "integer", nullable: false),
                    ClosedOnTime = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_breakdown_rollups", x => new { x.Dimension, x.ScopeCode, x.Start, x.Member });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_breakdown_rollups");
        }
    }
}
