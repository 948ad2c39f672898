using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
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
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BuildingCode",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CompoundCode",
                table: "cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FollowTokenHash",
                table: "cases",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LocationCandidates",
                table: "cases",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LocationConfirmDueAt",
                table: "cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "case_location_claims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    GridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    IsBest = table.Column<bool>(type: "boolean", nullable: false),
                    Share = table.Column<double>(type: "double precision", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Lon = table.Column<double>(type: "double precision", nullable: false),
                    Lat = table.Column<double>(type: "double precision", nullable: false),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ResolvedToGridCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
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
                    Day = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Last = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_number_counters", x => x.Day);
                });

            migrationBuilder.CreateTable(
                name: "case_photos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    Purpose = table.Column<int>(type: "integer", nullable: false),
                    UploadedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Width = table.Column<int>(type: "integer", nullable: false),
                    Height = table.Column<int>(type: "integer", nullable: false),
                    OriginalFormat = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    OriginalBytes = table.Column<long>(type: "bigint", nullable: false),
                    Sha256OfOriginal = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    EvidenceLon = table.Column<double>(type: "double precision", nullable: true),
                    EvidenceLat = table.Column<double>(type: "double precision", nullable: true),
                    EvidenceAltitudeMeters = table.Column<double>(type: "double precision", nullable: true),
                    EvidenceTakenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EvidenceCamera = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: false),
                    CaseNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    Summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Answer = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredBy = table.Column<Guid>(type: "uuid", nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    HeldAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Participants = table.Column<string>(type: "text", nullable: false),
                    Summary = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CaseNumbers = table.Column<string>(type: "text", nullable: false)
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
