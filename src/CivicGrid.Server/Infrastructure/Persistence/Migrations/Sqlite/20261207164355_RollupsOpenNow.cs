using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RollupsOpenNow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The open-now rows (RollupPeriod.Now = 4) are the open counts summed per scope, so no rebuild from the cases.
            migrationBuilder.Sql(
                """
                INSERT INTO case_count_rollups ("Period", "ScopeCode", "Start", "Channel", "Tier", "Reported", "ReportedNowClosed", "Closed", "ClosedWithDeadline", "ClosedOnTime")
                SELECT 4, "ScopeCode", 0, 0, 0, SUM("Count"), 0, 0, 0, 0 FROM case_open_counts GROUP BY "ScopeCode" HAVING SUM("Count") <> 0;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM case_count_rollups WHERE \"Period\" = 4;");
        }
    }
}
