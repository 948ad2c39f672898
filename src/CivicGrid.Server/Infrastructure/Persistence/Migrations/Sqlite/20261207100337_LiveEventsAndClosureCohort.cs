using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LiveEventsAndClosureCohort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Roll-ups built before the cohort column lack it: empty them, and the next start rebuilds them from the cases.
            migrationBuilder.Sql("DELETE FROM case_count_rollups");
            migrationBuilder.Sql("DELETE FROM case_open_counts");

            migrationBuilder.AddColumn<int>(
                name: "ReportedNowClosed",
                table: "case_count_rollups",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "live_events",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    Tier = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousTier = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Lon = table.Column<double>(type: "REAL", nullable: false),
                    Lat = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_live_events", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_live_events_At",
                table: "live_events",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "live_events");

            migrationBuilder.DropColumn(
                name: "ReportedNowClosed",
                table: "case_count_rollups");
        }
    }
}
