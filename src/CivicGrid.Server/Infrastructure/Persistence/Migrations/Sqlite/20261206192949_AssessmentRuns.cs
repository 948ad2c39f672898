using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AssessmentRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assessment_adjustments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SubjectCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Indicator = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    NumeratorBefore = table.Column<double>(type: "REAL", nullable: true),
                    DenominatorBefore = table.Column<double>(type: "REAL", nullable: true),
                    Numerator = table.Column<double>(type: "REAL", nullable: false),
                    Denominator = table.Column<double>(type: "REAL", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ScoreBefore = table.Column<double>(type: "REAL", nullable: false),
                    ScoreAfter = table.Column<double>(type: "REAL", nullable: false),
                    StarsBefore = table.Column<int>(type: "INTEGER", nullable: true),
                    StarsAfter = table.Column<int>(type: "INTEGER", nullable: true),
                    ByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_adjustments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assessment_catalogue_versions",
                columns: table => new
                {
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    EffectiveFrom = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    EffectiveFromDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    Changes = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_catalogue_versions", x => x.Version);
                });

            migrationBuilder.CreateTable(
                name: "assessment_reviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    HeldAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Participants = table.Column<string>(type: "TEXT", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_reviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assessment_run_indicators",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubjectCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Computed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ComputedNumerator = table.Column<double>(type: "REAL", nullable: false),
                    ComputedDenominator = table.Column<double>(type: "REAL", nullable: true),
                    Numerator = table.Column<double>(type: "REAL", nullable: false),
                    Denominator = table.Column<double>(type: "REAL", nullable: true),
                    NotApplicable = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Points = table.Column<double>(type: "REAL", nullable: false),
                    Weight = table.Column<double>(type: "REAL", nullable: false),
                    Met = table.Column<bool>(type: "INTEGER", nullable: false),
                    Adjusted = table.Column<bool>(type: "INTEGER", nullable: false),
                    Evidence = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_run_indicators", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assessment_run_subjects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Stars = table.Column<int>(type: "INTEGER", nullable: true),
                    Points = table.Column<double>(type: "REAL", nullable: false),
                    ApplicableWeight = table.Column<double>(type: "REAL", nullable: false),
                    TotalWeight = table.Column<double>(type: "REAL", nullable: false),
                    Missing = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_run_subjects", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "assessment_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubdistrictCode = table.Column<string>(type: "TEXT", maxLength: 9, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    CatalogueVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    InputDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AsOf = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodEnded = table.Column<bool>(type: "INTEGER", nullable: false),
                    Communities = table.Column<string>(type: "TEXT", nullable: false),
                    CommunityApprovals = table.Column<string>(type: "TEXT", nullable: false),
                    Reviews = table.Column<string>(type: "TEXT", nullable: false),
                    History = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_runs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_adjustments_RunId_SubjectCode",
                table: "assessment_adjustments",
                columns: new[] { "RunId", "SubjectCode" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_catalogue_versions_EffectiveFromDay",
                table: "assessment_catalogue_versions",
                column: "EffectiveFromDay",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessment_reviews_RunId",
                table: "assessment_reviews",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_run_indicators_RunId_SubjectCode_Code",
                table: "assessment_run_indicators",
                columns: new[] { "RunId", "SubjectCode", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessment_run_indicators_SubjectId",
                table: "assessment_run_indicators",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_run_subjects_RunId_Code",
                table: "assessment_run_subjects",
                columns: new[] { "RunId", "Code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessment_run_subjects_ScopeCode",
                table: "assessment_run_subjects",
                column: "ScopeCode");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_runs_Period_Status",
                table: "assessment_runs",
                columns: new[] { "Period", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_runs_SubdistrictCode_Period_Subject_Level",
                table: "assessment_runs",
                columns: new[] { "SubdistrictCode", "Period", "Subject", "Level" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_adjustments");

            migrationBuilder.DropTable(
                name: "assessment_catalogue_versions");

            migrationBuilder.DropTable(
                name: "assessment_reviews");

            migrationBuilder.DropTable(
                name: "assessment_run_indicators");

            migrationBuilder.DropTable(
                name: "assessment_run_subjects");

            migrationBuilder.DropTable(
                name: "assessment_runs");
        }
    }
}
