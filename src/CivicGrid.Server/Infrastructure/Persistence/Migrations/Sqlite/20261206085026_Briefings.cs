using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Server.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Briefings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "briefings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: false),
                    AttachmentUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RequiresConfirmation = table.Column<bool>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    SenderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SenderName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AudienceGridCodes = table.Column<string>(type: "TEXT", nullable: false),
                    AudienceKinds = table.Column<string>(type: "TEXT", nullable: false),
                    AudienceOrganisationIds = table.Column<string>(type: "TEXT", nullable: false),
                    LastRemindedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_briefings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "briefing_recipients",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    BriefingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BriefingScopeCode = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ScopeCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Roles = table.Column<string>(type: "TEXT", nullable: false),
                    FirstOpenedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReminderCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LastRemindedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_briefing_recipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_briefing_recipients_briefings_BriefingId",
                        column: x => x.BriefingId,
                        principalTable: "briefings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_briefing_recipients_BriefingId_UserId",
                table: "briefing_recipients",
                columns: new[] { "BriefingId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_briefing_recipients_UserId",
                table: "briefing_recipients",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_briefings_DueAt",
                table: "briefings",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_briefings_ScopeCode_SentAt",
                table: "briefings",
                columns: new[] { "ScopeCode", "SentAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "briefing_recipients");

            migrationBuilder.DropTable(
                name: "briefings");
        }
    }
}
