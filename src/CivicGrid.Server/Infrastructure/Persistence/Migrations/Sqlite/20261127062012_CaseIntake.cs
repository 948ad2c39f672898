using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseIntake : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "cases",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuildingCode",
                table: "cases",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CompoundCode",
                table: "cases",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FollowTokenHash",
                table: "cases",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LocationCandidates",
                table: "cases",
                type: "TEXT",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "LocationConfirmDueAt",
                table: "cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_location_claims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    IsBest = table.Column<bool>(type: "INTEGER", nullable: false),
                    Share = table.Column<double>(type: "REAL", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CategoryCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Lon = table.Column<double>(type: "REAL", nullable: false),
                    Lat = table.Column<double>(type: "REAL", nullable: false),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedToGridCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_location_claims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_location_claims_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "case_number_counters",
                columns: table => new
                {
                    Day = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Last = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_number_counters", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "case_photos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Purpose = table.Column<int>(type: "INTEGER", nullable: false),
                    UploadedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Width = table.Column<int>(type: "INTEGER", nullable: false),
                    Height = table.Column<int>(type: "INTEGER", nullable: false),
                    OriginalFormat = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    OriginalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256OfOriginal = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EvidenceLon = table.Column<double>(type: "REAL", nullable: true),
                    EvidenceLat = table.Column<double>(type: "REAL", nullable: true),
                    EvidenceAltitudeMeters = table.Column<double>(type: "REAL", nullable: true),
                    EvidenceTakenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EvidenceCamera = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_photos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_case_photos_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "district_referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SubdistrictCode = table.Column<string>(type: "TEXT", maxLength: 9, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DeliveredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AnsweredBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_district_referrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_district_referrals_cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "joint_meetings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "TEXT", maxLength: 9, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    HeldAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Participants = table.Column<string>(type: "TEXT", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseNumbers = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_joint_meetings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases",
                column: "LocationConfirmDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_case_location_claims_CaseId_GridCode",
                table: "case_location_claims",
                columns: new[] { "CaseId", "GridCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_case_location_claims_GridCode_ResolvedAt",
                table: "case_location_claims",
                columns: new[] { "GridCode", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_case_location_claims_ResolvedAt_DueAt",
                table: "case_location_claims",
                columns: new[] { "ResolvedAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_case_photos_CaseId",
                table: "case_photos",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_district_referrals_CaseId",
                table: "district_referrals",
                column: "CaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_district_referrals_SubdistrictCode_Status",
                table: "district_referrals",
                columns: new[] { "SubdistrictCode", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_joint_meetings_SubdistrictCode_HeldAt",
                table: "joint_meetings",
                columns: new[] { "SubdistrictCode", "HeldAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_location_claims");

            migrationBuilder.DropTable(
                name: "case_number_counters");

            migrationBuilder.DropTable(
                name: "case_photos");

            migrationBuilder.DropTable(
                name: "district_referrals");

            migrationBuilder.DropTable(
                name: "joint_meetings");

            migrationBuilder.DropIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "BuildingCode",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "CompoundCode",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "FollowTokenHash",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "LocationCandidates",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "LocationConfirmDueAt",
                table: "cases");
        }
    }
}
