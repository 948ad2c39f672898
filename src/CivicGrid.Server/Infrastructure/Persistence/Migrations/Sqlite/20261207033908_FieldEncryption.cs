using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FieldEncryption : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_roster_members_CommunityCode_Phone",
                table: "roster_members");

            migrationBuilder.DropIndex(
                name: "IX_council_members_CommunityCode_Phone",
                table: "council_members");

            migrationBuilder.AddColumn<string>(
                name: "PhoneIndex",
                table: "roster_members",
                type: "TEXT",
                maxLength: 44,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PhoneIndex",
                table: "council_members",
                type: "TEXT",
                maxLength: 44,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReporterPhoneIndex",
                table: "cases",
                type: "TEXT",
                maxLength: 44,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_roster_members_CommunityCode_PhoneIndex",
                table: "roster_members",
                columns: new[] { "CommunityCode", "PhoneIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_members_CommunityCode_PhoneIndex",
                table: "council_members",
                columns: new[] { "CommunityCode", "PhoneIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_ReporterPhoneIndex",
                table: "cases",
                column: "ReporterPhoneIndex",
                filter: "\"ReporterPhoneIndex\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_roster_members_CommunityCode_PhoneIndex",
                table: "roster_members");

            migrationBuilder.DropIndex(
                name: "IX_council_members_CommunityCode_PhoneIndex",
                table: "council_members");

            migrationBuilder.DropIndex(
                name: "IX_cases_ReporterPhoneIndex",
                table: "cases");

            migrationBuilder.DropColumn(
                name: "PhoneIndex",
                table: "roster_members");

            migrationBuilder.DropColumn(
                name: "PhoneIndex",
                table: "council_members");

            migrationBuilder.DropColumn(
                name: "ReporterPhoneIndex",
                table: "cases");

            migrationBuilder.CreateIndex(
                name: "IX_roster_members_CommunityCode_Phone",
                table: "roster_members",
                columns: new[] { "CommunityCode", "Phone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_members_CommunityCode_Phone",
                table: "council_members",
                columns: new[] { "CommunityCode", "Phone" },
                unique: true);
        }
    }
}
