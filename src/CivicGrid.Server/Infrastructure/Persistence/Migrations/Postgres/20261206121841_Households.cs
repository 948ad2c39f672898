using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Households : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "households",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    BuildingCode = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    CompoundCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Unit = table.Column<int>(type: "integer", nullable: false),
                    Room = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Occupancy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Notes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_households", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "door_visits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "uuid", nullable: false),
                    BuildingCode = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Unit = table.Column<int>(type: "integer", nullable: false),
                    Room = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    VisitorId = table.Column<Guid>(type: "uuid", nullable: false),
                    VisitorName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    VisitedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    WeekStart = table.Column<DateOnly>(type: "date", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: true),
                    Lat = table.Column<double>(type: "double precision", nullable: true),
                    AccuracyMeters = table.Column<double>(type: "double precision", nullable: true),
                    DistanceMeters = table.Column<double>(type: "double precision", nullable: true),
                    IsFar = table.Column<bool>(type: "boolean", nullable: false),
                    Notes = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    PhotoId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_door_visits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_door_visits_households_HouseholdId",
                        column: x => x.HouseholdId,
                        principalTable: "households",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "residents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "uuid", nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    SealedName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    NameIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: false),
                    SealedIdNumber = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    IdNumberIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true),
                    SealedPhone = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    PhoneIndex = table.Column<string>(type: "character varying(44)", maxLength: 44, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_residents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_residents_households_HouseholdId",
                        column: x => x.HouseholdId,
                        principalTable: "households",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "door_visit_findings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    NeedKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Urgency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    CategoryCode = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    VisitId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_door_visit_findings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_door_visit_findings_door_visits_VisitId",
                        column: x => x.VisitId,
                        principalTable: "door_visits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resident_care",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Basis = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ResidentId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resident_care", x => x.Id);
                    table.ForeignKey(
                        name: "FK_resident_care_residents_ResidentId",
                        column: x => x.ResidentId,
                        principalTable: "residents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_door_visit_findings_VisitId",
                table: "door_visit_findings",
                column: "VisitId");

            migrationBuilder.CreateIndex(
                name: "IX_door_visits_GridCode_VisitedAt",
                table: "door_visits",
                columns: new[] { "GridCode", "VisitedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_door_visits_HouseholdId",
                table: "door_visits",
                column: "HouseholdId");

            migrationBuilder.CreateIndex(
                name: "IX_door_visits_VisitorId_WeekStart",
                table: "door_visits",
                columns: new[] { "VisitorId", "WeekStart" });

            migrationBuilder.CreateIndex(
                name: "IX_households_BuildingCode_Unit_Room",
                table: "households",
                columns: new[] { "BuildingCode", "Unit", "Room" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_households_CompoundCode",
                table: "households",
                column: "CompoundCode");

            migrationBuilder.CreateIndex(
                name: "IX_households_GridCode",
                table: "households",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_resident_care_ResidentId",
                table: "resident_care",
                column: "ResidentId");

            migrationBuilder.CreateIndex(
                name: "IX_residents_HouseholdId",
                table: "residents",
                column: "HouseholdId");

            migrationBuilder.CreateIndex(
                name: "IX_residents_IdNumberIndex",
                table: "residents",
                column: "IdNumberIndex");

            migrationBuilder.CreateIndex(
                name: "IX_residents_NameIndex",
                table: "residents",
                column: "NameIndex");

            migrationBuilder.CreateIndex(
                name: "IX_residents_PhoneIndex",
                table: "residents",
                column: "PhoneIndex");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "door_visit_findings");

            migrationBuilder.DropTable(
                name: "resident_care");

            migrationBuilder.DropTable(
                name: "door_visits");

            migrationBuilder.DropTable(
                name: "residents");

            migrationBuilder.DropTable(
                name: "households");
        }
    }
}
