using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "assessment_appeals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Period = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    SubjectKind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    SubjectCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SubjectName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ScopeCode = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Indicator = table.Column<string>(type: "character varying(48)", maxLength: 48, nullable: false),
                    Numerator = table.Column<double>(type: "double precision", nullable: false),
                    Denominator = table.Column<double>(type: "double precision", nullable: true),
                    FiledBy = table.Column<Guid>(type: "uuid", nullable: false),
                    FiledByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FiledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Evidence = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    DecidedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Decision = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CorrectedNumerator = table.Column<double>(type: "double precision", nullable: true),
                    CorrectedDenominator = table.Column<double>(type: "double precision", nullable: true),
                    RunId = table.Column<Guid>(type: "uuid", nullable: false)
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
