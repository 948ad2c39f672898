using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsSensitive",
                table: "case_categories",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // The standard catalogue's sensitive kinds (StandardCatalogue.SensitiveCodes) on an installation that has them.
            migrationBuilder.Sql("""UPDATE case_categories SET "IsSensitive" = 1 WHERE "Code" IN ('G0101', 'G0102', 'G0201', 'G0301', 'G0302', 'G0402')""");

            migrationBuilder.CreateTable(
                name: "district_inbound_messages",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_district_inbound_messages", x => x.MessageId);
                    table.ForeignKey(
                        name: "FK_district_inbound_messages_district_referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "district_referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_district_inbound_messages_ReferralId",
                table: "district_inbound_messages",
                column: "ReferralId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "district_inbound_messages");

            migrationBuilder.DropColumn(
                name: "IsSensitive",
                table: "case_categories");
        }
    }
}
