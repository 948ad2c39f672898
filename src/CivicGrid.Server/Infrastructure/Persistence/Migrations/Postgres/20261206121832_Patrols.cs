using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PointCount = table.Column<int>(type: "integer", nullable: false),
                    LastPointAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    WalkedMeters = table.Column<double>(type: "double precision", nullable: false),
                    VehicleMeters = table.Column<double>(type: "double precision", nullable: false),
                    Steps = table.Column<int>(type: "integer", nullable: false),
                    StepsFromPhone = table.Column<bool>(type: "boolean", nullable: false),
                    WalkedSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Track = table.Column<LineString>(type: "geometry(LineString,4326)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patrols", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "patrol_batches",
                columns: table => new
                {
                    PatrolId = table.Column<Guid>(type: "uuid", nullable: false),
                    BatchId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    FirstAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    Points = table.Column<byte[]>(type: "bytea", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    PatrolId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    PatrolId = table.Column<Guid>(type: "uuid", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    WorkerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    Meters = table.Column<double>(type: "double precision", nullable: false)
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
