using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DashboardRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "case_count_rollups",
                columns: table => new
                {
                    Period = table.Column<int>(type: "integer", nullable: false),
                    Start = table.Column<int>(type: "integer", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    Tier = table.Column<int>(type: "integer", nullable: false),
                    DepartmentKey = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reported = table.Column<int>(type: "integer", nullable: false),
                    Closed = table.Column<int>(type: "integer", nullable: false),
                    ClosedWithDeadline = table.Column<int>(type: "integer", nullable: false),
                    ClosedOnTime = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_count_rollups", x => new { x.Period, x.Start, x.GridCode, x.CategoryCode, x.Channel, x.Tier, x.DepartmentKey });
                });

            migrationBuilder.CreateTable(
                name: "case_open_counts",
                columns: table => new
                {
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Channel = table.Column<int>(type: "integer", nullable: false),
                    Tier = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Supervised = table.Column<bool>(type: "boolean", nullable: false),
                    DueHour = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_open_counts", x => new { x.GridCode, x.CategoryCode, x.Channel, x.Tier, x.Status, x.Supervised, x.DueHour });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_count_rollups");

            migrationBuilder.DropTable(
                name: "case_open_counts");
        }
    }
}
