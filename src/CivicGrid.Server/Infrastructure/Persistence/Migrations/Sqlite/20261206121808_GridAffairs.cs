using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GridAffairs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "courtyard_councils",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompoundCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CompoundName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    HeldOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    decisions = table.Column<string>(type: "TEXT", nullable: false),
                    follow_ups = table.Column<string>(type: "TEXT", nullable: false),
                    participants = table.Column<string>(type: "TEXT", nullable: false),
                    topics = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_courtyard_councils", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_claims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Target = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TargetName = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    ClaimerKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ClaimerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClaimerName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Commitments = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    fulfilments = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_claims", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_projects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Goal = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    StartOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Participants = table.Column<int>(type: "INTEGER", nullable: false),
                    Beneficiaries = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    grid_codes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    partner_ids = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    photo_ids = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_projects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "grid_resources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Availability = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RosterMemberId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    offers = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_grid_resources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "needs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Requester = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ContactPhone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    CompoundCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    BuildingCode = table.Column<string>(type: "TEXT", maxLength: 17, nullable: true),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceReference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RaisedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ResourceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MetAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_needs", x => x.Id);
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "courtyard_councils");

            migrationBuilder.DropTable(
                name: "grid_claims");

            migrationBuilder.DropTable(
                name: "grid_projects");

            migrationBuilder.DropTable(
                name: "grid_resources");

            migrationBuilder.DropTable(
                name: "needs");
        }
    }
}
