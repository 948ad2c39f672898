using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IntakeIndexPages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_notifications_UserId_SourceKey",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "IX_cases_AssigneeUserId",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_ReporterId",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_SourceKey_UserId",
                table: "notifications",
                columns: new[] { "SourceKey", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_AssigneeUserId",
                table: "cases",
                column: "AssigneeUserId",
                filter: "\"AssigneeUserId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases",
                columns: new[] { "ExternalSource", "ExternalNumber" },
                unique: true,
                filter: "\"ExternalSource\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases",
                column: "LocationConfirmDueAt",
                filter: "\"LocationConfirmDueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReporterId",
                table: "cases",
                column: "ReporterId",
                filter: "\"ReporterId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_notifications_SourceKey_UserId",
                table: "notifications");

            migrationBuilder.DropIndex(
                name: "IX_cases_AssigneeUserId",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases");

            migrationBuilder.DropIndex(
                name: "IX_cases_ReporterId",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_SourceKey",
                table: "notifications",
                columns: new[] { "UserId", "SourceKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_AssigneeUserId",
                table: "cases",
                column: "AssigneeUserId");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ExternalSource_ExternalNumber",
                table: "cases",
                columns: new[] { "ExternalSource", "ExternalNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_LocationConfirmDueAt",
                table: "cases",
                column: "LocationConfirmDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReporterId",
                table: "cases",
                column: "ReporterId");
        }
    }
}
