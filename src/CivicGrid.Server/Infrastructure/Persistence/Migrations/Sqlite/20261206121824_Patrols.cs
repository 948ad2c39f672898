using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Patrols : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patrols",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PointCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastPointAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WalkedMeters = table.Column<double>(type: "REAL", nullable: false),
                    VehicleMeters = table.Column<double>(type: "REAL", nullable: false),
                    Steps = table.Column<int>(type: "INTEGER", nullable: false),
                    StepsFromPhone = table.Column<bool>(type: "INTEGER", nullable: false),
                    WalkedSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Track = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patrols", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "patrol_batches",
                columns: table => new
                {
                    PatrolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BatchId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    FirstAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Points = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patrol_batches", x => new { x.PatrolId, x.BatchId });
                    table.ForeignKey(
                        name: "FK_patrol_batches_patrols_PatrolId",
                        column: x => x.PatrolId,
                        principalTable: "patrols",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "patrol_cases",
                columns: table => new
                {
                    PatrolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patrol_cases", x => new { x.PatrolId, x.CaseId });
                    table.ForeignKey(
                        name: "FK_patrol_cases_patrols_PatrolId",
                        column: x => x.PatrolId,
                        principalTable: "patrols",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "patrol_grid_visits",
                columns: table => new
                {
                    PatrolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    WorkerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Seconds = table.Column<double>(type: "REAL", nullable: false),
                    Meters = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patrol_grid_visits", x => new { x.PatrolId, x.GridCode });
                    table.ForeignKey(
                        name: "FK_patrol_grid_visits_patrols_PatrolId",
                        column: x => x.PatrolId,
                        principalTable: "patrols",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_patrol_batches_PatrolId_FirstAt",
                table: "patrol_batches",
                columns: new[] { "PatrolId", "FirstAt" });

            migrationBuilder.CreateIndex(
                name: "IX_patrol_cases_CaseId",
                table: "patrol_cases",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_patrol_grid_visits_Day_GridCode",
                table: "patrol_grid_visits",
                columns: new[] { "Day", "GridCode" });

            migrationBuilder.CreateIndex(
                name: "IX_patrols_Day_GridCode",
                table: "patrols",
                columns: new[] { "Day", "GridCode" });

            migrationBuilder.CreateIndex(
                name: "IX_patrols_WorkerId_Status",
                table: "patrols",
                columns: new[] { "WorkerId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "patrol_batches");

            migrationBuilder.DropTable(
                name: "patrol_cases");

            migrationBuilder.DropTable(
                name: "patrol_grid_visits");

            migrationBuilder.DropTable(
                name: "patrols");
        }
    }
}
