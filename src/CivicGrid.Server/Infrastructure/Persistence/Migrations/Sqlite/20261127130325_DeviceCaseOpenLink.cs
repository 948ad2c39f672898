using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeviceCaseOpenLink : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsOpen",
                table: "device_cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_device_cases_CaseId",
                table: "device_cases",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_device_cases_open",
                table: "device_cases",
                columns: new[] { "DeviceId", "AlarmType" },
                unique: true,
                filter: "\"IsOpen\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_device_cases_CaseId",
                table: "device_cases");

            migrationBuilder.DropIndex(
                name: "IX_device_cases_open",
                table: "device_cases");

            migrationBuilder.DropColumn(
                name: "IsOpen",
                table: "device_cases");
        }
    }
}
