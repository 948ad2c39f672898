using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AssessmentAppeals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AppealId",
                table: "assessment_adjustments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "assessment_appeals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    SubjectKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SubjectCode = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SubjectName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Indicator = table.Column<string>(type: "TEXT", maxLength: 48, nullable: false),
                    Numerator = table.Column<double>(type: "REAL", nullable: false),
                    Denominator = table.Column<double>(type: "REAL", nullable: true),
                    FiledBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    FiledByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FiledAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Evidence = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CorrectedNumerator = table.Column<double>(type: "REAL", nullable: true),
                    CorrectedDenominator = table.Column<double>(type: "REAL", nullable: true),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_appeals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_adjustments_AppealId",
                table: "assessment_adjustments",
                column: "AppealId");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_appeals_RunId_SubjectCode_Indicator",
                table: "assessment_appeals",
                columns: new[] { "RunId", "SubjectCode", "Indicator" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_appeals_ScopeCode_Status",
                table: "assessment_appeals",
                columns: new[] { "ScopeCode", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_appeals");

            migrationBuilder.DropIndex(
                name: "IX_assessment_adjustments_AppealId",
                table: "assessment_adjustments");

            migrationBuilder.DropColumn(
                name: "AppealId",
                table: "assessment_adjustments");
        }
    }
}
