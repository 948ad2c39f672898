using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FieldWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "courtyard_councils",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CompoundCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CompoundName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Place = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decisions = table.Column<string>(type: "text", nullable: false),
                    follow_ups = table.Column<string>(type: "text", nullable: false),
                    participants = table.Column<string>(type: "text", nullable: false),
                    topics = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_courtyard_councils", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_claims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Target = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Reference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetName = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    ClaimerKind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ClaimerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimerName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Commitments = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fulfilments = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_claims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_projects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Goal = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    StartOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Participants = table.Column<int>(type: "integer", nullable: false),
                    Beneficiaries = table.Column<int>(type: "integer", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    grid_codes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    partner_ids = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    photo_ids = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_projects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_resources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Availability = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    RosterMemberId = table.Column<Guid>(type: "uuid", nullable: true),
                    Lon = table.Column<double>(type: "double precision", nullable: true),
                    Lat = table.Column<double>(type: "double precision", nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    offers = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_resources", x => x.Id);
                });

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
                name: "needs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Urgency = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Requester = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ContactPhone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    GridCode = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    CompoundCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    BuildingCode = table.Column<string>(type: "character varying(17)", maxLength: 17, nullable: true),
                    Lon = table.Column<double>(type: "double precision", nullable: true),
                    Lat = table.Column<double>(type: "double precision", nullable: true),
                    Source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SourceReference = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RaisedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResourceId = table.Column<Guid>(type: "uuid", nullable: true),
                    ProjectId = table.Column<Guid>(type: "uuid", nullable: true),
                    MetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_needs", x => x.Id);
                });

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
                name: "IX_courtyard_councils_CompoundCode_HeldOn",
                table: "courtyard_councils",
                columns: new[] { "CompoundCode", "HeldOn" });

            migrationBuilder.CreateIndex(
                name: "IX_courtyard_councils_GridCode_HeldOn",
                table: "courtyard_councils",
                columns: new[] { "GridCode", "HeldOn" });

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
                name: "IX_grid_claims_ClaimerId",
                table: "grid_claims",
                column: "ClaimerId");

            migrationBuilder.CreateIndex(
                name: "IX_grid_claims_GridCode",
                table: "grid_claims",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_grid_claims_Target_Reference",
                table: "grid_claims",
                columns: new[] { "Target", "Reference" });

            migrationBuilder.CreateIndex(
                name: "IX_grid_projects_ScopeCode",
                table: "grid_projects",
                column: "ScopeCode");

            migrationBuilder.CreateIndex(
                name: "IX_grid_resources_GridCode",
                table: "grid_resources",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_grid_resources_OrganisationId",
                table: "grid_resources",
                column: "OrganisationId");

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
                name: "IX_needs_GridCode_Status",
                table: "needs",
                columns: new[] { "GridCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_needs_RaisedAt",
                table: "needs",
                column: "RaisedAt");

            migrationBuilder.CreateIndex(
                name: "IX_needs_Source_SourceReference",
                table: "needs",
                columns: new[] { "Source", "SourceReference" });

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
                name: "courtyard_councils");

            migrationBuilder.DropTable(
                name: "door_visit_findings");

            migrationBuilder.DropTable(
                name: "grid_claims");

            migrationBuilder.DropTable(
                name: "grid_projects");

            migrationBuilder.DropTable(
                name: "grid_resources");

            migrationBuilder.DropTable(
                name: "needs");

            migrationBuilder.DropTable(
                name: "patrol_batches");

            migrationBuilder.DropTable(
                name: "patrol_cases");

            migrationBuilder.DropTable(
                name: "patrol_grid_visits");

            migrationBuilder.DropTable(
                name: "resident_care");

            migrationBuilder.DropTable(
                name: "door_visits");

            migrationBuilder.DropTable(
                name: "patrols");

            migrationBuilder.DropTable(
                name: "residents");

            migrationBuilder.DropTable(
                name: "households");
        }
    }
}
